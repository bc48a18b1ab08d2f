//! Thin handlers: parse, authorise (extractors), call domain and database, render.

pub mod applications;
pub mod auth;
pub mod catalog;
pub mod console;
pub mod messages;
pub mod ops;
pub mod products;
pub mod public;
pub mod release;
pub mod seller;
pub mod uploads;

use actix_web::web;

/// Static paths come first: the router tries resources in order, and each path with a `{…}`
/// segment costs a regex match, so the pages every request hits stop at a string compare.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/products", web::get().to(products::my_products))
        .route("/console", web::get().to(console::dashboard))
        .route("/console/drafts", web::get().to(products::drafts));
    catalog::configure(cfg);
    ops::configure(cfg);
    applications::configure(cfg);
    messages::configure(cfg);
    cfg.route("/healthz", web::get().to(public::healthz))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::login))
        .route("/signup", web::get().to(auth::signup_form))
        .route("/signup", web::post().to(auth::signup))
        .route("/signup/sent", web::get().to(auth::signup_sent))
        .route("/signup/confirm", web::get().to(auth::confirm_form))
        .route("/signup/confirm", web::post().to(auth::confirm))
        .route("/logout", web::get().to(auth::logout_page))
        .route("/logout", web::post().to(auth::logout))
        .route("/account/password", web::get().to(auth::password_form))
        .route("/account/password", web::post().to(auth::change_password))
        .route("/console/products/new", web::get().to(products::new_form))
        .route("/console/products/new", web::post().to(products::create))
        .route("/console/products/{id}/edit", web::get().to(products::edit))
        .route("/console/products/{id}", web::post().to(products::save))
        .route(
            "/console/products/{id}/autosave",
            web::post().to(products::autosave),
        )
        .route(
            "/console/products/{id}/preview",
            web::get().to(release::preview),
        )
        .route(
            "/console/products/{id}/delete",
            web::get().to(products::delete_form),
        )
        .route(
            "/console/products/{id}/delete",
            web::post().to(products::delete),
        )
        .route(
            "/console/products/{id}/clone",
            web::post().to(products::clone),
        )
        .route(
            "/console/products/{id}/uploads",
            web::post().to(uploads::upload),
        )
        .route(
            "/console/products/{id}/uploads/{upload}",
            web::get().to(uploads::download),
        )
        .route(
            "/console/products/{id}/uploads/{upload}/delete",
            web::post().to(uploads::delete),
        )
        .route(
            "/console/seller/registration",
            web::get().to(seller::registration::show),
        )
        .route(
            "/console/seller/registration",
            web::post().to(seller::registration::submit),
        )
        .route(
            "/console/seller/registration/name",
            web::post().to(seller::registration::submit_name_change),
        )
        .route(
            "/console/seller/support",
            web::get().to(seller::support::show),
        )
        .route(
            "/console/seller/support/contact",
            web::post().to(seller::support::submit_contact),
        )
        .route(
            "/console/seller/support/presales",
            web::post().to(seller::support::submit_presales),
        )
        .route(
            "/console/seller/support/groups",
            web::post().to(seller::support::add_group),
        )
        .route(
            "/console/seller/support/groups/{id}/edit",
            web::get().to(seller::support::edit_group_form),
        )
        .route(
            "/console/seller/support/groups/{id}",
            web::post().to(seller::support::update_group),
        )
        .route(
            "/console/seller/support/groups/{id}/delete",
            web::get().to(seller::support::delete_group_form),
        )
        .route(
            "/console/seller/support/groups/{id}/delete",
            web::post().to(seller::support::delete_group),
        );
}
