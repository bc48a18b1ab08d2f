//! What an upload must be, judged by its content (never its name): type, size, logo dimensions.

use std::io::Cursor;

use super::statuses::UploadKind;

pub const LOGO_MAX_BYTES: usize = 5 * 1024 * 1024;
pub const DOCUMENT_MAX_BYTES: usize = 10 * 1024 * 1024;
pub const LOGO_SIDE: u32 = 120;
pub const MAX_REQUEST_TEMPLATES: i64 = 5;

pub fn max_bytes(kind: UploadKind) -> usize {
    match kind {
        UploadKind::Logo => LOGO_MAX_BYTES,
        _ => DOCUMENT_MAX_BYTES,
    }
}

const EXCEL_WORD: [&str; 4] = [
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/msword",
];
const CERTIFICATE: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];

/// The content type to store and serve, if the bytes are what this kind of upload must be.
pub fn check_upload(kind: UploadKind, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("Choose a file to upload.".into());
    }
    if bytes.len() > max_bytes(kind) {
        return Err(format!(
            "The file must be at most {} MB.",
            max_bytes(kind) / (1024 * 1024)
        ));
    }
    let detected = infer::get(bytes).map(|t| t.mime_type());
    match kind {
        UploadKind::Logo => {
            if detected != Some("image/png") {
                return Err("The logo must be a PNG image (the file's content is not PNG).".into());
            }
            check_logo(bytes)?;
            Ok("image/png")
        }
        UploadKind::RequestTemplate => detected
            .and_then(|m| EXCEL_WORD.iter().find(|x| **x == m).copied())
            .or_else(|| office_open_xml(bytes))
            .ok_or_else(|| {
                "Request templates must be Excel or Word files (.xlsx, .xls, .docx, .doc).".into()
            }),
        UploadKind::BusinessLetter | UploadKind::CopyrightCertificate => detected
            .and_then(|m| CERTIFICATE.iter().find(|x| **x == m).copied())
            .ok_or_else(|| "Upload a PDF, PNG or JPEG scan.".into()),
    }
}

/// A .docx or .xlsx is a zip with a known main part; `infer` judges by the order of the first
/// entries, which differs between the programs that write them, so look inside instead.
fn office_open_xml(bytes: &[u8]) -> Option<&'static str> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.index_for_name("word/document.xml").is_some() {
        Some(EXCEL_WORD[1])
    } else if archive.index_for_name("xl/workbook.xml").is_some() {
        Some(EXCEL_WORD[0])
    } else {
        None
    }
}

/// Reads the dimensions from the header before decoding, so a small file that would inflate
/// to a huge image is refused without decoding it.
fn check_logo(bytes: &[u8]) -> Result<(), String> {
    let reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|_| "The logo is not a readable PNG image.".to_string())?;
    if (w, h) != (LOGO_SIDE, LOGO_SIDE) {
        return Err(format!(
            "The logo must be exactly 120×120 pixels; this one is {w}×{h}."
        ));
    }
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map(|_| ())
        .map_err(|_| "The logo is not a readable PNG image.".to_string())
}

/// A filename safe in a header and on any disk: letters, digits, dot, dash, underscore, space.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 0, 11, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_120_by_120_png_is_a_logo() {
        assert_eq!(
            check_upload(UploadKind::Logo, &png(120, 120)),
            Ok("image/png")
        );
    }

    #[test]
    fn other_sizes_and_other_content_are_refused() {
        assert!(check_upload(UploadKind::Logo, &png(121, 120))
            .unwrap_err()
            .contains("121×120"));
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".repeat(10);
        assert!(check_upload(UploadKind::Logo, &exe)
            .unwrap_err()
            .contains("PNG"));
        assert!(check_upload(UploadKind::RequestTemplate, &png(120, 120))
            .unwrap_err()
            .contains("Excel or Word"));
        assert!(check_upload(UploadKind::Logo, &[]).is_err());
    }

    #[test]
    fn a_truncated_png_is_refused_not_panicked_on() {
        let mut p = png(120, 120);
        p.truncate(60);
        assert!(check_upload(UploadKind::Logo, &p).is_err());
    }

    #[test]
    fn oversized_files_are_refused_before_decoding() {
        let mut big = png(120, 120);
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert!(check_upload(UploadKind::Logo, &big)
            .unwrap_err()
            .contains("5 MB"));
    }

    fn zip_with(parts: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for part in parts {
            zip.start_file(*part, opts).unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn office_files_are_known_by_their_main_part_whatever_the_entry_order() {
        let docx = zip_with(&[
            "docProps/app.xml",
            "[Content_Types].xml",
            "word/document.xml",
        ]);
        assert_eq!(
            check_upload(UploadKind::RequestTemplate, &docx),
            Ok(EXCEL_WORD[1])
        );
        let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(
            check_upload(UploadKind::RequestTemplate, &xlsx),
            Ok(EXCEL_WORD[0])
        );
        let renamed_zip = zip_with(&["notes.txt"]);
        assert!(check_upload(UploadKind::RequestTemplate, &renamed_zip).is_err());
    }

    #[test]
    fn filenames_lose_paths_and_strange_characters() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_filename("C:\\x\\Request form (v2).xlsx"),
            "Request form v2.xlsx"
        );
        assert_eq!(safe_filename("\"\r\n.htaccess"), "htaccess");
        assert_eq!(safe_filename("日本.pdf"), "pdf");
    }
}
