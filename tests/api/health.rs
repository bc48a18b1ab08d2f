use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_200_when_the_database_answers() {
    let app = spawn_app().await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "ok");
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_does_not() {
    let app = spawn_app().await;
    // Hold every connection: the database no longer answers the app. The check runs every
    // half second and gives a connection 2 s, so within about 3 s /healthz says so.
    let held: Vec<_> = (0..4).map(|_| app.pool.get().unwrap()).collect();
    let mut page = app.get("/healthz").await;
    for _ in 0..40 {
        if page.status == 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = app.get("/healthz").await;
    }
    assert_eq!(page.status, 503);
    assert_eq!(page.body, "database unavailable");
    drop(held);
    let mut status = app.get("/healthz").await.status;
    for _ in 0..20 {
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = app.get("/healthz").await.status;
    }
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unknown_pages_are_404_inside_the_layout() {
    let app = spawn_app().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    page.assert_has("does not exist");
    page.assert_has("Seller Console");
}

#[tokio::test]
async fn the_suite_runs_on_the_backend_it_was_asked_for() {
    let app = spawn_app().await;
    let conn = app.pool.get().unwrap();
    let expected = match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(_) => seller_console::db::Backend::Postgres,
        None => seller_console::db::Backend::Sqlite,
    };
    assert_eq!(seller_console::db::backend_of(&conn), expected);
}
