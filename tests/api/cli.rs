use std::io::Write;
use std::process::{Command, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_seller-console"))
}

/// Runs `create-operator` with the password on standard input.
fn create_operator(url: &str, email: &str, password: &str) -> std::process::Output {
    let mut child = binary()
        .args(["create-operator", "--email", email, "--password-stdin"])
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn migrate_and_create_operator_and_seed_demo_work_on_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());

    let out = binary()
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = create_operator(&url, "Ops@Example.com", "operator-pass-1");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Operator ops@example.com created."));

    // The same email twice is refused with a message, not a crash.
    let out = create_operator(&url, "ops@example.com", "operator-pass-1");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let out = binary()
        .arg("seed-demo")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Demo data loaded."));
    assert!(text.contains("seller@demo.example"));
    assert!(text.contains("operator@demo.example"));

    // Every built feature is in use: a bill, a refund waiting for the seller, this month's
    // banner and a featured-zone request waiting for review.
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c =
        diesel::SqliteConnection::establish(&dir.path().join("cli.db").display().to_string())
            .unwrap();
    let mut count = |q: &str| diesel::sql_query(q).get_result::<N>(&mut c).unwrap().n;
    assert!(count("SELECT COUNT(*) AS n FROM bills") >= 1);
    assert!(count("SELECT COUNT(*) AS n FROM bill_lines") >= 1);
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM order_refunds WHERE state = 'requested'"),
        1
    );
    // Orders in every state.
    for state in [
        "pending_payment",
        "processing",
        "completed",
        "cancelled",
        "expired",
        "unsubscribed",
    ] {
        assert!(
            count(&format!(
                "SELECT COUNT(*) AS n FROM orders WHERE state = '{state}'"
            )) >= 1,
            "no demo order is {state}"
        );
    }
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'banner_request' AND status = 'approved'"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) AS n FROM applications WHERE kind = 'featured_request' AND status = 'pending'"),
        1
    );
}

#[test]
fn a_short_operator_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let out = create_operator(&url, "ops@example.com", "short");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8"));
}

#[test]
fn migrations_exist_under_the_same_names_for_both_backends() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let sqlite = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
    let postgres = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn serve_fails_fast_with_the_real_error_when_postgres_is_unreachable() {
    let started = std::time::Instant::now();
    let out = binary()
        .arg("serve")
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot connect to the database"), "{err}");
    assert!(
        !err.contains("Invalid connection url for multiconnection"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 10);
}
