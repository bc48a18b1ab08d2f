//! Thin handlers: parse, authorise (extractors), call domain and database, render.

pub mod account;
pub mod applications;
pub mod auth;
pub mod benefits;
pub mod catalog;
pub mod console;
pub mod lifecycle;
pub mod map;
pub mod messages;
pub mod ops;
pub mod orders;
pub mod products;
pub mod public;
pub mod release;
pub mod removal;
pub mod seller;
pub mod seller_orders;
pub mod settlement;
pub mod uploads;

use actix_web::http::Method;
use actix_web::web;

use map::{Listing, Register, RouteSink};

/// Registers every route of the console.
pub fn configure(cfg: &mut web::ServiceConfig) {
    routes(&mut Register(cfg));
}

/// Every route of the console as (method, path pattern): what `configure` registers.
pub fn table() -> Vec<(Method, &'static str)> {
    let mut listing = Listing::default();
    routes(&mut listing);
    listing.0
}

/// Static paths come first: the router tries resources in order, and each path with a `{…}`
/// segment costs a regex match, so the pages every request hits stop at a string compare.
pub fn routes<R: RouteSink>(r: &mut R) {
    r.get("/static/css/app.css", public::app_css)
        .get("/static/js/autosave.js", public::autosave_js)
        .get("/static/js/tz.js", public::tz_js)
        .get("/console/products", products::my_products)
        .get("/console", console::dashboard)
        .get("/console/drafts", products::drafts);
    catalog::routes(r);
    ops::routes(r);
    applications::routes(r);
    messages::routes(r);
    orders::routes(r);
    seller_orders::routes(r);
    settlement::routes(r);
    benefits::routes(r);
    r.get("/healthz", public::healthz)
        .get("/login", auth::login_form)
        .post("/login", auth::login)
        .get("/signup", auth::signup_form)
        .post("/signup", auth::signup)
        .get("/signup/sent", auth::signup_sent)
        .get("/signup/confirm", auth::confirm_form)
        .post("/signup/confirm", auth::confirm)
        .get("/logout", auth::logout_page)
        .post("/logout", auth::logout)
        .get("/console/token", products::token)
        .get("/language", account::switch_cookie)
        .post("/account/language", account::switch_saved)
        .get("/account/settings", account::settings_form)
        .post("/account/settings", account::save_settings)
        .get("/account/password", auth::password_form)
        .post("/account/password", auth::change_password)
        .get("/console/products/new", products::new_form)
        .post("/console/products/new", products::create)
        .get("/console/products/{id}", lifecycle::overview)
        .get("/console/products/{id}/history", lifecycle::history)
        .post("/console/products/{id}/hide", lifecycle::hide)
        .post("/console/products/{id}/unhide", lifecycle::unhide)
        .post("/console/products/{id}/specs/hide", lifecycle::hide_spec)
        .post(
            "/console/products/{id}/specs/unhide",
            lifecycle::unhide_spec,
        )
        .get("/console/products/{id}/remove", removal::form)
        .post("/console/products/{id}/remove", removal::submit)
        .get("/console/products/{id}/edit", products::edit)
        .post("/console/products/{id}", products::save)
        .post("/console/products/{id}/autosave", products::autosave)
        .get("/console/products/{id}/preview", release::preview)
        .get("/console/products/{id}/delete", products::delete_form)
        .post("/console/products/{id}/delete", products::delete)
        .post("/console/products/{id}/clone", products::clone)
        .post("/console/products/{id}/uploads", uploads::upload)
        .get("/console/products/{id}/uploads/{upload}", uploads::download)
        .post(
            "/console/products/{id}/uploads/{upload}/delete",
            uploads::delete,
        )
        .get("/console/seller/registration", seller::registration::show)
        .post("/console/seller/registration", seller::registration::submit)
        .post(
            "/console/seller/registration/name",
            seller::registration::submit_name_change,
        )
        .get("/console/seller/support", seller::support::show)
        .post(
            "/console/seller/support/contact",
            seller::support::submit_contact,
        )
        .post(
            "/console/seller/support/presales",
            seller::support::submit_presales,
        )
        .post("/console/seller/support/groups", seller::support::add_group)
        .get(
            "/console/seller/support/groups/{id}/edit",
            seller::support::edit_group_form,
        )
        .post(
            "/console/seller/support/groups/{id}",
            seller::support::update_group,
        )
        .get(
            "/console/seller/support/groups/{id}/delete",
            seller::support::delete_group_form,
        )
        .post(
            "/console/seller/support/groups/{id}/delete",
            seller::support::delete_group,
        );
}
