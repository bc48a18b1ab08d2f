//! Rows and write forms, one file per entity, with the queries that belong to each.

pub mod application;
pub mod benefit;
pub mod bill;
pub mod catalog;
pub mod company;
pub mod form_stash;
pub mod message;
pub mod order;
pub mod pending_signup;
pub mod product;
pub mod product_event;
pub mod product_release;
pub mod refund;
pub mod release;
pub mod removal;
pub mod review;
pub mod service_group;
pub mod settings;
pub mod upload;
pub mod user;
pub mod visibility;
