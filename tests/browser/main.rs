//! Browser test in headless Chromium (Debian's chromium + chromium-driver), driven by fantoccini.
//! Run with `cargo test --features browser-tests --test browser`. Screenshots of every page
//! visited land in target/screenshots/ for review.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use seller_console::seed;

/// chromedriver, and the profile directory of the Chromium it starts.
struct Driver(Child, std::path::PathBuf);

impl Drop for Driver {
    /// Chromium outlives its driver unless told to go: every process of this test's profile
    /// goes with the driver.
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.1.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_browser() -> (Driver, Client) {
    // Several TLS backends are linked in; the WebDriver connection needs one chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)");
    let profile = tempfile::tempdir().unwrap().keep();
    let driver = Driver(driver, profile.clone());
    let caps = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--window-size=1280,1000", format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let mut builder = ClientBuilder::rustls().expect("rustls connector");
        builder.capabilities(caps.clone());
        if let Ok(client) = builder.connect(&url).await {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

struct Shots {
    dir: std::path::PathBuf,
    n: u32,
}

impl Shots {
    fn new() -> Shots {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        Shots { dir, n: 0 }
    }

    async fn take(&mut self, browser: &Client, name: &str) {
        self.n += 1;
        let png = browser.screenshot().await.expect("screenshot");
        std::fs::write(self.dir.join(format!("{:02}-{name}.png", self.n)), png).unwrap();
    }
}

/// Clicks something that loads a new page and waits until the new document is there.
async fn click_and_wait(browser: &Client, target: Locator<'_>) {
    let old = browser.find(Locator::Css("html")).await.unwrap();
    let element = browser.find(target).await.unwrap();
    // Into the middle of the window, clear of the editor's sticky action bar, as a person
    // would scroll before clicking.
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
    element.click().await.unwrap();
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    browser
        .wait()
        .for_element(Locator::Css("body"))
        .await
        .unwrap();
}

async fn fill(browser: &Client, id: &str, value: &str) {
    let field = browser.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn text(browser: &Client) -> String {
    browser
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_seller_signs_in_and_adds_a_service_group() {
    let app = helpers::spawn_app().await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let demo = &seed::DEMO_LOGINS[0];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots::new();

    // A console URL sends an anonymous visitor to sign in, then back.
    browser
        .goto(&app.url("/console/seller/support"))
        .await
        .unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("/login?next="));
    shots.take(&browser, "login").await;

    // A wrong password keeps the email and says so.
    fill(&browser, "email", demo.email).await;
    fill(&browser, "password", "wrong-password").await;
    click_and_wait(&browser, Locator::Css("form button[type=submit]")).await;
    assert!(text(&browser)
        .await
        .contains("The email or password is not right."));
    let kept = browser
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(demo.email));
    shots.take(&browser, "login-error").await;

    fill(&browser, "password", demo.password).await;
    click_and_wait(&browser, Locator::Css("form button[type=submit]")).await;
    let url = browser.current_url().await.unwrap();
    assert!(
        url.path().ends_with("/console/seller/support"),
        "back where the visitor started: {url}"
    );
    let page = text(&browser).await;
    assert!(page.contains("Weekday support desk"));
    assert!(
        page.contains("Pending change"),
        "demo contact change under review"
    );
    shots.take(&browser, "support").await;

    // The dashboard, through the navigation.
    click_and_wait(&browser, Locator::LinkText("Dashboard")).await;
    let page = text(&browser).await;
    assert!(page.contains("Demo Cloud Software Ltd"));
    assert!(page.contains("Approved"));
    shots.take(&browser, "dashboard").await;

    click_and_wait(&browser, Locator::LinkText("Services and Support")).await;

    // A bad phone is shown next to the field and the typed name is kept.
    fill(&browser, "name", "Weekend desk").await;
    fill(&browser, "phone", "call us").await;
    fill(&browser, "email", "weekend@demo.example").await;
    for day in ["Sat", "Sun"] {
        browser
            .find(Locator::Css(&format!("#service_days input[value={day}]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    click_and_wait(&browser, Locator::Css("#groups form button[type=submit]")).await;
    let error = browser
        .find(Locator::Id("phone-error"))
        .await
        .expect("error next to the phone field");
    assert!(error.text().await.unwrap().contains("Enter a phone number"));
    let kept = browser
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Weekend desk"));
    shots.take(&browser, "group-error").await;

    fill(&browser, "phone", "+86 755 2878 0820").await;
    click_and_wait(&browser, Locator::Css("#groups form button[type=submit]")).await;
    let page = text(&browser).await;
    assert!(page.contains("Service group \"Weekend desk\" added."));
    let rows = browser
        .find_all(Locator::Css("table.groups tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    let last = rows[2].text().await.unwrap();
    assert!(last.contains("Weekend desk"), "{last}");
    assert!(last.contains("Sat, Sun"), "{last}");
    assert!(page.contains("(3 of 6)"));
    shots.take(&browser, "group-added").await;

    // Seller > Registration shows the approved registration.
    click_and_wait(&browser, Locator::LinkText("Registration")).await;
    assert!(text(&browser).await.contains("Approved"));
    shots.take(&browser, "registration").await;

    // Sign out ends the session (the header's other link-styled button is the language switch).
    sign_out(&browser).await;
    browser.goto(&app.url("/console")).await.unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/login"));
    shots.take(&browser, "signed-out").await;

    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_new_user_signs_up_and_registers_the_company() {
    let app = helpers::spawn_app().await;
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 20,
        ..Shots::new()
    };

    browser.goto(&app.url("/signup")).await.unwrap();
    fill(&browser, "email", "founder@startup.example").await;
    fill(&browser, "password", helpers::PASSWORD).await;
    fill(&browser, "password_confirm", helpers::PASSWORD).await;
    shots.take(&browser, "signup").await;
    click_and_wait(&browser, Locator::Css("form button[type=submit]")).await;
    assert!(text(&browser).await.contains("Check your inbox"));
    shots.take(&browser, "signup-sent").await;
    // The link in the mail opens a confirmation; the button makes the account.
    let token = app
        .signup_token("founder@startup.example")
        .expect("a confirmation mail");
    browser
        .goto(&app.url(&format!("/signup/confirm?token={token}")))
        .await
        .unwrap();
    assert!(text(&browser).await.contains("founder@startup.example"));
    shots.take(&browser, "signup-confirm").await;
    click_and_wait(&browser, Locator::Css("form button[type=submit]")).await;
    assert!(text(&browser).await.contains("Register your company"));

    click_and_wait(&browser, Locator::LinkText("Register your company")).await;
    // Submitting the defaults shows every missing requirement at once.
    click_and_wait(&browser, Locator::Css("form.form button[type=submit]")).await;
    let page = text(&browser).await;
    assert!(page.contains("There are"), "error summary");
    assert!(page.contains("You must accept the Seller Agreement"));
    shots.take(&browser, "registration-errors").await;

    for (id, value) in [
        ("legal_name", "Startup Cloud GmbH"),
        ("licence_number", "HRB-123456"),
        ("tax_number", "DE-123456789"),
        ("bank_name", "Demo Bank AG"),
        ("bank_account_name", "Startup Cloud GmbH"),
        ("bank_account_number", "DE89370400440532013000"),
    ] {
        fill(&browser, id, value).await;
    }
    browser
        .find(Locator::Css("#country_region option[value=DE]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The date input takes typed digits in the browser's locale order; set it directly.
    browser
        .execute(
            "document.getElementById('established_on').value = '2018-04-01';",
            vec![],
        )
        .await
        .unwrap();
    browser
        .find(Locator::Css("input[value=saas]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Css("input[name=agreement]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(&browser, Locator::Css("form.form button[type=submit]")).await;
    let page = text(&browser).await;
    assert!(
        page.contains("Registration submitted as application #"),
        "{page}"
    );
    assert!(page.contains("Pending review"));
    assert!(page.contains("Decision due by"));
    shots.take(&browser, "registration-pending").await;
    browser.close().await.unwrap();
}

async fn value_of(browser: &Client, id: &str) -> String {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("no #{id}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn choose(browser: &Client, select_id: &str, value: &str) {
    browser
        .find(Locator::Css(&format!(
            "#{select_id} option[value='{value}']"
        )))
        .await
        .unwrap_or_else(|_| panic!("no option {value} in #{select_id}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_professional_service_with_two_tiered_specifications_is_drafted_autosaved_and_submitted()
{
    let app = helpers::spawn_app().await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let demo = &seed::DEMO_LOGINS[0];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 40,
        ..Shots::new()
    };

    browser.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", demo.email).await;
    fill(&browser, "password", demo.password).await;
    click_and_wait(&browser, Locator::Css("form button[type=submit]")).await;

    browser
        .goto(&app.url("/console/products/new"))
        .await
        .unwrap();
    shots.take(&browser, "release-new-product").await;
    click_and_wait(
        &browser,
        Locator::Css("input[value=professional_services] ~ button"),
    )
    .await;
    let editor_url = browser.current_url().await.unwrap();
    assert!(editor_url.path().ends_with("/edit"), "{editor_url}");

    for (id, value) in [
        ("name", "Managed Data Migration"),
        ("version", "V1.2"),
        (
            "overview",
            "We move your databases to the cloud with no data loss.",
        ),
        (
            "introduction",
            "<p>Migration by certified engineers, with a rollback plan.</p>",
        ),
        (
            "eula",
            "The service is provided under the terms agreed in the order.",
        ),
        ("user_guide_url", "https://docs.demo.example/migration"),
        ("ps_delivery_days", "21"),
        ("s0_name", "Databases"),
        ("s0_qname", "databases"),
        ("s0_qunit", "database"),
        ("s0_qmin", "1"),
        ("s0_qmax", "100"),
        ("s0_qstep", "1"),
    ] {
        fill(&browser, id, value).await;
    }
    choose(&browser, "category", "database").await;
    choose(&browser, "ps_flow_template", "standard").await;
    choose(&browser, "s0_qpricing", "tiered").await;
    let group = browser
        .find(Locator::Css("#service_group_id option:nth-child(2)"))
        .await
        .unwrap();
    group.click().await.unwrap();
    // Add the second specification (the page saves and comes back).
    click_and_wait(&browser, Locator::Css("button[value=add_spec]")).await;
    for (id, value) in [
        ("s1_name", "Websites"),
        ("s1_qname", "pages"),
        ("s1_qunit", "page"),
        ("s1_qmin", "1"),
        ("s1_qmax", "50"),
        ("s1_qstep", "1"),
    ] {
        fill(&browser, id, value).await;
    }
    choose(&browser, "s1_billing", "one_time").await;
    choose(&browser, "s1_qpricing", "tiered").await;
    click_and_wait(&browser, Locator::Css("button[value=refresh]")).await;
    shots.take(&browser, "editor-two-specs").await;

    // Tiered bands, one per line; then let autosave do the saving.
    fill(&browser, "s0_p0_once", "1-10: 500\n10-: 420.50").await;
    fill(&browser, "s1_p0_once", "1-5: 300\n5-: 250").await;
    let status = browser.find(Locator::Id("autosave-status")).await.unwrap();
    let mut saved = String::new();
    for _ in 0..100 {
        saved = status.text().await.unwrap();
        if saved.starts_with("Draft saved at") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        saved.starts_with("Draft saved at"),
        "autosave status: {saved:?}"
    );
    shots.take(&browser, "autosaved").await;

    // Signed out and in again in another tab: the session's CSRF token is new, the editor's
    // page still holds the old one. Autosave renews it from /console/token and saves.
    let editor_tab = browser.window().await.unwrap();
    let other = browser.new_window(true).await.unwrap();
    browser.switch_to_window(other.handle).await.unwrap();
    browser.goto(&app.url("/console")).await.unwrap();
    sign_out(&browser).await;
    sign_in(&browser, &app, demo.email, demo.password).await;
    browser.close_window().await.unwrap();
    browser.switch_to_window(editor_tab).await.unwrap();
    fill(
        &browser,
        "overview",
        "We move your databases to the cloud, tested twice.",
    )
    .await;
    let mut renewed = false;
    for _ in 0..100 {
        let now = status.text().await.unwrap();
        if now.starts_with("Draft saved at")
            && app.count("SELECT COUNT(*) AS n FROM products WHERE form LIKE '%tested twice%'") == 1
        {
            renewed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        renewed,
        "autosave after signing in again: {:?}",
        status.text().await.unwrap()
    );

    // Reload: every value is still there.
    browser.goto(editor_url.as_str()).await.unwrap();
    for (id, value) in [
        ("name", "Managed Data Migration"),
        ("version", "V1.2"),
        ("ps_delivery_days", "21"),
        ("category", "database"),
        ("ps_flow_template", "standard"),
        ("s0_name", "Databases"),
        ("s0_qpricing", "tiered"),
        ("s0_qmax", "100"),
        ("s1_name", "Websites"),
        ("s1_qname", "pages"),
        ("s1_qmax", "50"),
        ("s0_p0_once", "1-10: 500\n10-: 420.50"),
        ("s1_p0_once", "1-5: 300\n5-: 250"),
    ] {
        assert_eq!(value_of(&browser, id).await, value, "#{id} after reload");
    }

    // The logo, then submit.
    let logo = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    std::fs::write(logo.path(), helpers_png()).unwrap();
    choose(&browser, "upload_kind", "logo").await;
    browser
        .find(Locator::Id("upload_file"))
        .await
        .unwrap()
        .send_keys(&logo.path().display().to_string())
        .await
        .unwrap();
    click_and_wait(
        &browser,
        Locator::Css("#files form.subform button[type=submit]"),
    )
    .await;
    assert!(
        text(&browser).await.contains("uploaded."),
        "{}",
        text(&browser).await
    );
    shots.take(&browser, "logo-uploaded").await;

    click_and_wait(&browser, Locator::Css("button[value=submit]")).await;
    let page = text(&browser).await;
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/console/products"),
        "{page}"
    );
    assert!(
        page.contains("Submitted for review as application #"),
        "{page}"
    );
    let row = browser
        .find(Locator::XPath(
            "//tr[td/a[text()='Managed Data Migration']]",
        ))
        .await
        .expect("the product is listed in My Products")
        .text()
        .await
        .unwrap();
    assert!(row.contains("Draft · release in review"), "{row}");
    assert!(row.contains("Professional Services"), "{row}");
    shots.take(&browser, "my-products").await;

    // Graduated bands [from, to): 15 databases = 9 × 500 + 6 × 420.50 = 7023.00.
    browser
        .goto(
            &editor_url
                .as_str()
                .replace("/edit", "/preview?spec=0&quantity=15&period=once&count=1"),
        )
        .await
        .unwrap();
    assert!(
        text(&browser).await.contains("CNY 7023.00"),
        "{}",
        text(&browser).await
    );
    shots.take(&browser, "preview").await;
    browser.close().await.unwrap();
}

fn helpers_png() -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(120, 120, image::Rgba([199, 0, 11, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn sign_in(browser: &Client, app: &helpers::TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/login")).await.unwrap();
    fill(browser, "email", email).await;
    fill(browser, "password", password).await;
    click_and_wait(browser, Locator::Css("form button[type=submit]")).await;
}

/// In any language: the user menu's sign-out form.
async fn sign_out(browser: &Client) {
    click_and_wait(browser, Locator::Css("form[action='/logout'] button")).await;
}

#[tokio::test]
async fn an_operator_approves_a_release_and_seller_catalog_and_mailbox_see_it() {
    let receiver = smtp::SmtpServer::start().await;
    let app = helpers::spawn_app_with(helpers::TestOptions {
        smtp_url: Some(receiver.url()),
        worker: true,
        ..Default::default()
    })
    .await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let seller = &seed::DEMO_LOGINS[0];
    let operator = &seed::DEMO_LOGINS[2];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 60,
        ..Shots::new()
    };

    // The operator finds the pending release in the queue, claims it and approves it.
    sign_in(&browser, &app, operator.email, operator.password).await;
    browser.goto(&app.url("/ops/applications")).await.unwrap();
    shots.take(&browser, "ops-queue").await;
    click_and_wait(
        &browser,
        Locator::XPath("//a[normalize-space()='Cloud Backup Suite']"),
    )
    .await;
    let application_url = browser.current_url().await.unwrap();
    let application_id: i64 = application_url
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("an application number in the URL");
    assert!(text(&browser).await.contains("Submitted product"));
    click_and_wait(
        &browser,
        Locator::XPath("//button[text()='Claim for review']"),
    )
    .await;
    assert!(text(&browser).await.contains("In review"));
    browser
        .find(Locator::Css("input[name=outcome][value=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&browser, "reason", "Meets every release requirement.").await;
    shots.take(&browser, "ops-decision").await;
    click_and_wait(
        &browser,
        Locator::XPath("//button[text()='Record decision']"),
    )
    .await;
    let page = text(&browser).await;
    assert!(page.contains("Approved"), "{page}");
    assert!(
        !page.contains("Record decision"),
        "decided once, no second form"
    );
    shots.take(&browser, "ops-approved").await;
    sign_out(&browser).await;

    // The seller sees the outcome in My Applications and an unread message.
    sign_in(&browser, &app, seller.email, seller.password).await;
    let unread = browser
        .find(Locator::Css("a[href='/console/messages'] .badge"))
        .await
        .expect("an unread count beside the message center")
        .text()
        .await
        .unwrap();
    assert!(unread.trim().parse::<u32>().unwrap() >= 1, "{unread}");
    browser
        .goto(&app.url("/console/applications"))
        .await
        .unwrap();
    let row = browser
        .find(Locator::XPath(&format!(
            "//tr[td/a[text()='#{application_id}']]"
        )))
        .await
        .expect("the application is in My Applications")
        .text()
        .await
        .unwrap();
    assert!(row.contains("Approved"), "{row}");
    assert!(row.contains("Meets every release requirement."), "{row}");
    shots.take(&browser, "my-applications").await;
    browser.goto(&app.url("/console/messages")).await.unwrap();
    let page = text(&browser).await;
    assert!(page.contains("Cloud Backup Suite"), "{page}");
    assert!(page.contains("approved"), "{page}");
    shots.take(&browser, "messages").await;

    // Anyone sees the product in the catalog and on its page.
    sign_out(&browser).await;
    browser.goto(&app.url("/")).await.unwrap();
    shots.take(&browser, "catalog").await;
    click_and_wait(
        &browser,
        Locator::XPath("//a[normalize-space()='Cloud Backup Suite']"),
    )
    .await;
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/products/"));
    let page = text(&browser).await;
    assert!(page.contains("Cloud Backup Suite"), "{page}");
    assert!(page.contains("presales@demo.example"), "{page}");
    assert!(
        !page.contains("88 Keji Road"),
        "the address is never public"
    );
    shots.take(&browser, "product-page").await;
    browser.close().await.unwrap();

    // The approval's mail reached the SMTP server, once, addressed to the seller.
    let subject = format!("Application #{application_id} approved");
    let mut found = Vec::new();
    for _ in 0..200 {
        found = receiver
            .messages()
            .into_iter()
            .filter(|m| {
                m.parsed()
                    .subject()
                    .is_some_and(|s| s.starts_with(&subject))
            })
            .collect();
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(found.len(), 1, "one mail for the approval");
    assert_eq!(found[0].rcpt_to, vec![seller.email.to_string()]);
    let mail = found[0].parsed();
    let body = mail.body_text(0).unwrap_or_default().to_string();
    assert!(
        body.contains(&format!(
            "{}/console/applications/{application_id}",
            app.address
        )),
        "{body}"
    );
}

#[tokio::test]
async fn a_listed_product_is_modified_reviewed_hidden_and_its_history_kept() {
    let app = helpers::spawn_app().await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let seller = &seed::DEMO_LOGINS[0];
    let operator = &seed::DEMO_LOGINS[2];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 80,
        ..Shots::new()
    };

    // The seller opens the listed demo product from My Products and modifies its price.
    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(&app.url("/console/products")).await.unwrap();
    click_and_wait(
        &browser,
        Locator::XPath("//a[normalize-space()='Hardened Ubuntu Server']"),
    )
    .await;
    let overview = browser.current_url().await.unwrap();
    let product: i64 = overview
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("a product number in the URL");
    assert!(text(&browser).await.contains("Listed release"));
    click_and_wait(&browser, Locator::XPath("//a[normalize-space()='Modify']")).await;
    assert!(text(&browser)
        .await
        .contains("working copy of a listed product"));
    fill(&browser, "s0_p0_hour", "0.45").await;
    click_and_wait(
        &browser,
        Locator::XPath("//button[normalize-space()='Submit modification']"),
    )
    .await;
    let page = text(&browser).await;
    assert!(page.contains("Submitted for review"), "{page}");
    assert!(page.contains("Listed · modification in review"), "{page}");
    // Until it is approved, buyers see the listed price.
    let public = app.url(&format!("/products/{product}"));
    browser.goto(&public).await.unwrap();
    assert!(text(&browser).await.contains("CNY 0.35 per hour"));
    browser.goto(&app.url("/console/products")).await.unwrap();
    sign_out(&browser).await;

    // The operator sees the diff, old price beside new, and approves.
    sign_in(&browser, &app, operator.email, operator.password).await;
    browser.goto(&app.url("/ops/applications")).await.unwrap();
    click_and_wait(
        &browser,
        Locator::XPath(
            "//tr[td[contains(., 'Product modification')]]//a[normalize-space()='Hardened Ubuntu Server']",
        ),
    )
    .await;
    let page = text(&browser).await;
    assert!(
        page.contains("Changes against the listed release"),
        "{page}"
    );
    assert!(page.contains("CNY 0.35 per hour"), "{page}");
    assert!(page.contains("CNY 0.45 per hour"), "{page}");
    let diff = browser.find(Locator::Id("diff")).await.unwrap();
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&diff).unwrap()],
        )
        .await
        .unwrap();
    shots.take(&browser, "ops-modification-diff").await;
    click_and_wait(
        &browser,
        Locator::XPath("//button[text()='Claim for review']"),
    )
    .await;
    browser
        .find(Locator::Css("input[name=outcome][value=approve]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_and_wait(
        &browser,
        Locator::XPath("//button[text()='Record decision']"),
    )
    .await;
    assert!(text(&browser).await.contains("Approved"));
    sign_out(&browser).await;

    // The new price is live at once.
    browser.goto(&public).await.unwrap();
    let page = text(&browser).await;
    assert!(page.contains("CNY 0.45 per hour"), "{page}");
    assert!(!page.contains("CNY 0.35 per hour"), "{page}");
    assert!(page.contains("8 vCPUs | 16 GiB"));

    // The seller hides a specification: it leaves the public page.
    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(overview.as_str()).await.unwrap();
    click_and_wait(
        &browser,
        Locator::XPath("//button[normalize-space()='Hide 8 vCPUs | 16 GiB']"),
    )
    .await;
    assert!(text(&browser)
        .await
        .contains("hidden: new buyers are not offered it"));
    browser.goto(&public).await.unwrap();
    let page = text(&browser).await;
    assert!(!page.contains("8 vCPUs | 16 GiB"), "{page}");
    assert!(page.contains("4 vCPUs | 8 GiB"));

    // The history has the four events, with who and the application.
    browser
        .goto(&app.url(&format!("/console/products/{product}/history")))
        .await
        .unwrap();
    let page = text(&browser).await;
    for event in [
        "Specification hidden: 8 vCPUs | 16 GiB",
        "Approved",
        "Claimed for review",
        "Submitted",
        "Product modification #",
    ] {
        assert!(page.contains(event), "{event} in {page}");
    }
    let rows = browser
        .find_all(Locator::Css("table.history tbody tr"))
        .await
        .unwrap();
    // The release (submitted, approved) and the modification's four.
    assert_eq!(rows.len(), 6, "{page}");
    shots.take(&browser, "seller-product-history").await;
}

/// The `<html lang>` of the page on screen.
async fn page_lang(browser: &Client) -> String {
    browser
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_seller_and_an_operator_switch_to_chinese_in_the_header_and_back() {
    let app = helpers::spawn_app().await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let seller = &seed::DEMO_LOGINS[0];
    let operator = &seed::DEMO_LOGINS[2];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 90,
        ..Shots::new()
    };

    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(&app.url("/console/products")).await.unwrap();
    assert_eq!(page_lang(&browser).await, "en");
    // The header's switch comes back to the same page, in Chinese.
    click_and_wait(&browser, Locator::Css("form.lang-switch button")).await;
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        "/console/products"
    );
    assert_eq!(page_lang(&browser).await, "zh-CN");
    let page = text(&browser).await;
    assert!(
        page.contains("我的商品") && page.contains("草稿箱"),
        "{page}"
    );
    shots.take(&browser, "zh-my-products").await;
    for (path, name, expect) in [
        ("/console", "zh-dashboard", "总览"),
        ("/console/drafts", "zh-drafts", "草稿箱"),
        ("/console/applications", "zh-my-applications", "我的申请"),
        (
            "/console/seller/support",
            "zh-services-support",
            "服务与支持",
        ),
        (
            "/console/seller/registration",
            "zh-registration",
            "商家入驻",
        ),
        ("/console/messages", "zh-messages", "消息中心"),
    ] {
        browser.goto(&app.url(path)).await.unwrap();
        assert_eq!(page_lang(&browser).await, "zh-CN", "{path}");
        let page = text(&browser).await;
        assert!(page.contains(expect), "{path}: {page}");
        assert!(!page.contains("Sign out"), "{path}: {page}");
        shots.take(&browser, name).await;
    }
    // The choice is the account's: after signing out and in again it is still Chinese.
    click_and_wait(&browser, Locator::XPath("//button[text()='退出登录']")).await;
    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(&app.url("/console/products")).await.unwrap();
    assert_eq!(page_lang(&browser).await, "zh-CN");
    // And back to English.
    click_and_wait(&browser, Locator::Css("form.lang-switch button")).await;
    assert_eq!(page_lang(&browser).await, "en");
    assert!(text(&browser).await.contains("My Products"));
    shots.take(&browser, "en-again").await;
    sign_out(&browser).await;

    // The operator's queue, in Chinese.
    sign_in(&browser, &app, operator.email, operator.password).await;
    browser.goto(&app.url("/ops/applications")).await.unwrap();
    click_and_wait(&browser, Locator::Css("form.lang-switch button")).await;
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        "/ops/applications"
    );
    let page = text(&browser).await;
    assert!(page.contains("审核队列"), "{page}");
    shots.take(&browser, "zh-ops-queue").await;
    click_and_wait(&browser, Locator::Css("table a")).await;
    shots.take(&browser, "zh-ops-application").await;
    click_and_wait(&browser, Locator::Css("form.lang-switch button")).await;
    assert_eq!(page_lang(&browser).await, "en");
    assert!(text(&browser).await.contains("Review queue"));
}

/// A buyer orders from the catalog, operations record the bank transfer, the seller finds the
/// order in Product Transaction (in Chinese, the catalog seller's language).
#[tokio::test]
async fn a_buyer_orders_a_service_operations_record_payment_the_seller_delivers_and_bills_it() {
    let app = helpers::spawn_app().await;
    {
        let mut conn = app.pool.get().unwrap();
        seed::seed_demo(&mut conn, &[], &app.address).expect("demo data");
    }
    let buyer = &seed::DEMO_LOGINS[4];
    let operator = &seed::DEMO_LOGINS[2];
    let seller = &seed::DEMO_LOGINS[3];
    let (_driver, browser) = start_browser().await;
    let mut shots = Shots {
        n: 110,
        ..Shots::new()
    };

    sign_in(&browser, &app, buyer.email, buyer.password).await;
    assert_eq!(
        browser.current_url().await.unwrap().path(),
        "/account/orders"
    );
    shots.take(&browser, "buyer-orders").await;
    browser.goto(&app.url("/?q=Website")).await.unwrap();
    click_and_wait(
        &browser,
        Locator::XPath("//a[normalize-space()='Website Building Service']"),
    )
    .await;
    // The product page's form: the first specification, SKU and period as offered.
    click_and_wait(&browser, Locator::XPath("//button[text()='Buy']")).await;
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/order"));
    let page = text(&browser).await;
    assert!(
        page.contains("Your order") && page.contains("Amount"),
        "{page}"
    );
    fill(&browser, "company", "Browser Buyer Co").await;
    shots.take(&browser, "buyer-checkout").await;
    click_and_wait(&browser, Locator::XPath("//button[text()='Place order']")).await;
    let page = text(&browser).await;
    assert!(page.contains("Your order is placed"), "{page}");
    assert!(page.contains("Pending payment"), "{page}");
    let order: i64 = browser
        .current_url()
        .await
        .unwrap()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("an order number in the URL");
    shots.take(&browser, "buyer-order").await;
    sign_out(&browser).await;

    sign_in(&browser, &app, operator.email, operator.password).await;
    browser.goto(&app.url("/ops/orders")).await.unwrap();
    fill(&browser, &format!("reference-{order}"), "TRX-BROWSER-1").await;
    shots.take(&browser, "ops-orders").await;
    click_and_wait(
        &browser,
        Locator::Css(&format!("form[action='/ops/orders/{order}/pay'] button")),
    )
    .await;
    let page = text(&browser).await;
    assert!(
        page.contains(&format!("Payment of order #{order} recorded")),
        "{page}"
    );
    sign_out(&browser).await;

    // The seller (its console in Chinese) delivers the service step by step.
    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(&app.url("/console/orders")).await.unwrap();
    let page = text(&browser).await;
    assert!(
        page.contains("商品交易") && page.contains(&format!("#{order}")),
        "{page}"
    );
    assert!(
        page.contains(buyer.email) && page.contains("Browser Buyer Co"),
        "{page}"
    );
    shots.take(&browser, "seller-product-transaction").await;
    click_and_wait(&browser, Locator::XPath(&format!("//a[text()='#{order}']"))).await;
    let advance = format!("form[action='/console/orders/{order}/advance'] button");
    let mut steps = 0;
    while browser.find(Locator::Css(&advance)).await.is_ok() {
        click_and_wait(&browser, Locator::Css(&advance)).await;
        steps += 1;
        assert!(steps <= 5, "the flow ends");
    }
    assert!(steps >= 3, "{steps} steps");
    let page = text(&browser).await;
    assert!(page.contains("TRX-BROWSER-1"), "{page}");
    shots.take(&browser, "seller-order-delivered").await;
    sign_out(&browser).await;

    // The buyer accepts the delivery: the order is completed.
    sign_in(&browser, &app, buyer.email, buyer.password).await;
    browser
        .goto(&app.url(&format!("/account/orders/{order}")))
        .await
        .unwrap();
    click_and_wait(
        &browser,
        Locator::XPath("//button[text()='Accept the delivery']"),
    )
    .await;
    let page = text(&browser).await;
    assert!(page.contains("Completed"), "{page}");
    shots.take(&browser, "buyer-accepted").await;
    sign_out(&browser).await;

    // The bill job runs for this month; the seller finds the order on its bill.
    let month =
        seller_console::domain::settlement::period_of(time::OffsetDateTime::now_utc().date());
    {
        let mut conn = app.pool.get().unwrap();
        let settings = seller_console::applications::NotifySettings {
            base_url: &app.address,
            max_attempts: 3,
            sms: false,
        };
        seller_console::models::bill::generate(&mut conn, &month, &settings).expect("bill job");
    }
    sign_in(&browser, &app, seller.email, seller.password).await;
    browser.goto(&app.url("/console/settlement")).await.unwrap();
    let page = text(&browser).await;
    assert!(page.contains(&format!("{month} 账单")), "{page}");
    shots.take(&browser, "seller-settlement").await;
    click_and_wait(
        &browser,
        Locator::XPath(&format!("//a[text()='{month} 账单']")),
    )
    .await;
    let page = text(&browser).await;
    assert!(
        page.contains(&format!("#{order}")) && page.contains("结算金额"),
        "{page}"
    );
    shots.take(&browser, "seller-bill").await;

    // Policies and Benefits: the banner opens once paid transactions pass USD 100,000.
    browser.goto(&app.url("/console/benefits")).await.unwrap();
    let page = text(&browser).await;
    assert!(page.contains("暂不符合"), "{page}");
    shots.take(&browser, "seller-benefits-below").await;
    {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().unwrap();
        diesel::sql_query(format!(
            "UPDATE orders SET currency = 'USD', amount_minor = 10000000 WHERE id = {order}"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    browser.refresh().await.unwrap();
    let page = text(&browser).await;
    assert!(
        page.contains("首页 Banner 推荐") && !page.contains("暂不符合"),
        "{page}"
    );
    assert!(browser
        .find(Locator::Css("select#slot option[value='banner']"))
        .await
        .is_ok());
    shots.take(&browser, "seller-benefits-eligible").await;
    sign_out(&browser).await;

    // Operations see the bill among every seller's, and the month's slot requests.
    sign_in(&browser, &app, operator.email, operator.password).await;
    browser.goto(&app.url("/ops/settlement")).await.unwrap();
    let page = text(&browser).await;
    assert!(page.contains(&format!("Bill for {month}")), "{page}");
    shots.take(&browser, "ops-settlement").await;
    browser.goto(&app.url("/ops/benefits")).await.unwrap();
    let page = text(&browser).await;
    assert!(
        page.contains("Featured zone") || page.contains("featured zones"),
        "{page}"
    );
    shots.take(&browser, "ops-benefits").await;
    browser.close().await.unwrap();
}
