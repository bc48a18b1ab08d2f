use std::io::{Cursor, Write};

use crate::helpers::{spawn_app, TestApp};

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([199, 0, 11, 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A minimal Word document, its parts in the order Word writes them.
fn docx() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    zip.start_file("_rels/.rels", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><w:document/>"#)
        .unwrap();
    zip.finish().unwrap().into_inner()
}

async fn draft(app: &TestApp, method: &str) -> i64 {
    let page = app
        .post("/console/products/new", &[("delivery_method", method)])
        .await;
    page.location
        .unwrap()
        .trim_start_matches("/console/products/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap()
}

fn upload_ids(app: &TestApp) -> Vec<i64> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query("SELECT id FROM uploads ORDER BY id")
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn a_120_by_120_png_logo_is_stored_and_served_back_safely() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = draft(&app, "saas").await;
    let page = app
        .upload_with(&app.client, id, "logo", "../my logo.png", png(120, 120))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let editor = app.get(&format!("/console/products/{id}/edit")).await;
    editor.assert_has("Logo \"my logo.png\" uploaded.");
    let upload = upload_ids(&app)[0];
    let r = app
        .client
        .get(app.url(&format!("/console/products/{id}/uploads/{upload}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("my logo.png"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), png(120, 120));
    // A second logo replaces the first.
    assert_eq!(
        app.upload_with(&app.client, id, "logo", "new.png", png(120, 120))
            .await
            .status,
        303
    );
    assert_eq!(upload_ids(&app).len(), 1);
}

#[tokio::test]
async fn uploads_are_judged_by_content_size_and_dimensions() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = draft(&app, "professional_services").await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode".to_vec();
    let page = app
        .upload_with(&app.client, id, "logo", "logo.png", exe.clone())
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("The logo must be a PNG image");
    let page = app
        .upload_with(&app.client, id, "logo", "wide.png", png(121, 120))
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("exactly 120×120 pixels; this one is 121×120");
    let mut big = png(120, 120);
    big.resize(6 * 1024 * 1024, 0);
    let page = app
        .upload_with(&app.client, id, "logo", "big.png", big)
        .await;
    assert_eq!(page.status, 413);
    page.assert_has("at most 5 MB");
    let page = app
        .upload_with(&app.client, id, "request_template", "form.docx", exe)
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Excel or Word");
    assert!(upload_ids(&app).is_empty());

    let page = app
        .upload_with(
            &app.client,
            id,
            "request_template",
            "Request form.docx",
            docx(),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let upload = upload_ids(&app)[0];
    let r = app
        .client
        .get(app.url(&format!("/console/products/{id}/uploads/{upload}")))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = draft(&app, "saas").await;
    let form = reqwest::multipart::Form::new().text("kind", "logo").part(
        "file",
        reqwest::multipart::Part::bytes(png(120, 120)).file_name("logo.png"),
    );
    let r = app
        .client
        .post(app.url(&format!("/console/products/{id}/uploads")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(upload_ids(&app).is_empty());
}

#[tokio::test]
async fn another_seller_cannot_download_upload_or_delete_these_files() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = draft(&app, "saas").await;
    assert_eq!(
        app.upload_with(&app.client, id, "logo", "logo.png", png(120, 120))
            .await
            .status,
        303
    );
    let upload = upload_ids(&app)[0];
    let (other, _) = app.other_seller().await;
    assert_eq!(
        app.get_with(&other, &format!("/console/products/{id}/uploads/{upload}"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.upload_with(&other, id, "logo", "x.png", png(120, 120))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post_with(
            &other,
            &format!("/console/products/{id}/uploads/{upload}/delete"),
            &[]
        )
        .await
        .status,
        404
    );
    // Anonymous: sent to sign in.
    let anon = crate::helpers::client();
    assert_eq!(
        app.get_with(&anon, &format!("/console/products/{id}/uploads/{upload}"))
            .await
            .status,
        303
    );
    assert_eq!(upload_ids(&app).len(), 1);
    // The owner can delete it.
    assert_eq!(
        app.post(
            &format!("/console/products/{id}/uploads/{upload}/delete"),
            &[]
        )
        .await
        .status,
        303
    );
    assert!(upload_ids(&app).is_empty());
}

#[tokio::test]
async fn a_clone_carries_the_files_along() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let id = draft(&app, "saas").await;
    assert_eq!(
        app.upload_with(&app.client, id, "logo", "logo.png", png(120, 120))
            .await
            .status,
        303
    );
    assert_eq!(
        app.post(&format!("/console/products/{id}/clone"), &[])
            .await
            .status,
        303
    );
    assert_eq!(upload_ids(&app).len(), 2);
}

#[tokio::test]
async fn a_file_downloads_under_the_type_its_content_is_and_only_where_the_method_has_it() {
    let app = spawn_app().await;
    app.signed_in_seller().await;
    let saas = draft(&app, "saas").await;
    let page = app
        .upload_with(&app.client, saas, "request_template", "form.docx", docx())
        .await;
    assert_eq!(page.status, 422);
    page.assert_has("Request template files belong to Professional Services products only.");
    assert!(upload_ids(&app).is_empty());
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let page = app
        .upload_with(&app.client, saas, "business_letter", "letter.html", pdf)
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let upload = upload_ids(&app)[0];
    let r = app
        .client
        .get(app.url(&format!("/console/products/{saas}/uploads/{upload}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"letter.pdf\""
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
}
