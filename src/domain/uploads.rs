//! What an upload must be, judged by its content (never its name): type, size, logo dimensions.

use std::io::Cursor;

use super::statuses::UploadKind;
use crate::i18n::Msg;

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
pub fn check_upload(kind: UploadKind, bytes: &[u8]) -> Result<&'static str, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("products-upload-empty"));
    }
    if bytes.len() > max_bytes(kind) {
        return Err(too_big(kind));
    }
    let detected = infer::get(bytes).map(|t| t.mime_type());
    match kind {
        UploadKind::Logo => {
            if detected != Some("image/png") {
                return Err(Msg::new("products-upload-logo-not-png"));
            }
            check_logo(bytes)?;
            Ok("image/png")
        }
        // A zip is judged by looking inside, within limits (a small archive may declare
        // gigabytes); an old binary .xls or .doc by its signature.
        UploadKind::RequestTemplate if bytes.starts_with(b"PK\x03\x04") => office_open_xml(bytes),
        UploadKind::RequestTemplate => detected
            .and_then(|m| EXCEL_WORD[2..].iter().find(|x| **x == m).copied())
            .ok_or_else(|| Msg::new(NOT_OFFICE)),
        UploadKind::BusinessLetter | UploadKind::CopyrightCertificate => detected
            .and_then(|m| CERTIFICATE.iter().find(|x| **x == m).copied())
            .ok_or_else(|| Msg::new("products-upload-not-scan")),
    }
}

/// An invoice for a bill (SPEC 12): a PDF or a scan, judged by its content.
pub fn check_invoice(bytes: &[u8]) -> Result<&'static str, Msg> {
    if bytes.is_empty() {
        return Err(Msg::new("products-upload-empty"));
    }
    if bytes.len() > DOCUMENT_MAX_BYTES {
        return Err(invoice_too_big());
    }
    infer::get(bytes)
        .map(|t| t.mime_type())
        .and_then(|m| CERTIFICATE.iter().find(|x| **x == m).copied())
        .ok_or_else(|| Msg::new("settlement-invoice-not-scan"))
}

pub fn invoice_too_big() -> Msg {
    Msg::new("products-upload-too-big").arg("mb", DOCUMENT_MAX_BYTES / (1024 * 1024))
}

/// The message for a file over the kind's limit.
pub fn too_big(kind: UploadKind) -> Msg {
    Msg::new("products-upload-too-big").arg("mb", max_bytes(kind) / (1024 * 1024))
}

const NOT_OFFICE: &str = "products-upload-not-office";

/// The most parts a request template's archive may have, and the most its parts may add up to
/// once unpacked: real templates have a few dozen parts and a few megabytes.
pub const MAX_ZIP_ENTRIES: usize = 1_000;
pub const MAX_ZIP_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// A .docx or .xlsx is a zip with a known main part; `infer` judges by the order of the first
/// entries, which differs between the programs that write them, so look inside instead. Only
/// the central directory is read (what each part declares), never a part itself.
fn office_open_xml(bytes: &[u8]) -> Result<&'static str, Msg> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Msg::new(NOT_OFFICE))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(Msg::new("products-upload-zip-parts")
            .arg("parts", archive.len())
            .arg("max", MAX_ZIP_ENTRIES));
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|_| Msg::new(NOT_OFFICE))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > MAX_ZIP_UNPACKED_BYTES {
        return Err(Msg::new("products-upload-zip-unpacked")
            .arg("mb", (unpacked / (1024 * 1024)).to_string())
            .arg("max", (MAX_ZIP_UNPACKED_BYTES / (1024 * 1024)).to_string()));
    }
    if archive.index_for_name("word/document.xml").is_some() {
        Ok(EXCEL_WORD[1])
    } else if archive.index_for_name("xl/workbook.xml").is_some() {
        Ok(EXCEL_WORD[0])
    } else {
        Err(Msg::new(NOT_OFFICE))
    }
}

/// The name a stored file downloads under: its own name with the extension of the type its
/// content was found to be (a PDF uploaded as `letter.html` downloads as `letter.pdf`).
pub fn download_name(filename: &str, content_type: &str) -> String {
    let extension = match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/msword" => "doc",
        _ => "bin",
    };
    let stem = filename
        .rsplit_once('.')
        .map(|(stem, _)| stem)
        .filter(|stem| !stem.is_empty())
        .unwrap_or(filename);
    format!("{stem}.{extension}")
}

/// Reads the dimensions from the header before decoding, so a small file that would inflate
/// to a huge image is refused without decoding it.
fn check_logo(bytes: &[u8]) -> Result<(), Msg> {
    let reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|_| Msg::new("products-upload-logo-unreadable"))?;
    if (w, h) != (LOGO_SIDE, LOGO_SIDE) {
        return Err(Msg::new("products-upload-logo-size")
            .arg("side", LOGO_SIDE.to_string())
            .arg("width", w.to_string())
            .arg("height", h.to_string()));
    }
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map(|_| ())
        .map_err(|_| Msg::new("products-upload-logo-unreadable"))
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

    /// The refusal as an English reader reads it.
    fn refusal(kind: UploadKind, bytes: &[u8]) -> String {
        check_upload(kind, bytes)
            .unwrap_err()
            .render(crate::i18n::Lang::En)
    }

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
        assert!(refusal(UploadKind::Logo, &png(121, 120)).contains("121×120"));
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".repeat(10);
        assert!(refusal(UploadKind::Logo, &exe).contains("PNG"));
        assert!(refusal(UploadKind::RequestTemplate, &png(120, 120)).contains("Excel or Word"));
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
        assert!(refusal(UploadKind::Logo, &big).contains("5 MB"));
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
    fn a_zip_declaring_too_much_is_refused_without_unpacking() {
        let many: Vec<String> = (0..=MAX_ZIP_ENTRIES).map(|i| format!("p{i}.xml")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut parts = vec!["word/document.xml"];
        parts.extend(refs);
        let err = refusal(UploadKind::RequestTemplate, &zip_with(&parts));
        assert!(err.contains("at most 1000"), "{err}");

        // One part that unpacks to 60 MB of zeros, deflated to a few kilobytes.
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..60 {
            zip.write_all(&zeros).unwrap();
        }
        let bomb = zip.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024);
        let err = refusal(UploadKind::RequestTemplate, &bomb);
        assert!(err.contains("unpacks to more than 60 MB"), "{err}");
    }

    #[test]
    fn downloads_are_named_by_their_content() {
        assert_eq!(
            download_name("letter.html", "application/pdf"),
            "letter.pdf"
        );
        assert_eq!(download_name("scan", "image/jpeg"), "scan.jpg");
        assert_eq!(download_name(".htaccess", "image/png"), ".htaccess.png");
        assert_eq!(
            download_name("form.xlsx.exe", EXCEL_WORD[0]),
            "form.xlsx.xlsx"
        );
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
