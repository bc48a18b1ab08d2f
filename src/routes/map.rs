//! The route map. Each area declares its routes once, through `RouteSink`; the same
//! declarations register the handlers (`Register`) and list the routes (`Listing`), so the
//! authorisation test that walks every route is built from the application itself and covers
//! a route added later without anyone remembering to add it.

use actix_web::http::Method;
use actix_web::{web, FromRequest, Handler, Responder};

pub trait RouteSink {
    fn add<F, Args>(&mut self, method: Method, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;

    fn get<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, handler)
    }

    fn post<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, handler)
    }
}

/// Registers each route with actix.
pub struct Register<'a>(pub &'a mut web::ServiceConfig);

impl RouteSink for Register<'_> {
    fn add<F, Args>(&mut self, method: Method, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.0.route(path, web::method(method).to(handler));
        self
    }
}

/// Lists each route's method and path pattern, in registration order.
#[derive(Debug, Default)]
pub struct Listing(pub Vec<(Method, &'static str)>);

impl RouteSink for Listing {
    fn add<F, Args>(&mut self, method: Method, path: &'static str, _handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.0.push((method, path));
        self
    }
}
