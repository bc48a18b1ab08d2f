//! Marketplace rules with no I/O: statuses, working days, registration and support rules.

pub mod benefits;
pub mod diff;
pub mod fields;
pub mod offer;
pub mod order;
pub mod pricing;
pub mod product;
pub mod product_fields;
pub mod registration;
pub mod release;
pub mod removal;
pub mod review;
pub mod search;
pub mod service_hours;
pub mod settlement;
pub mod specification;
pub mod statuses;
pub mod support;
pub mod uploads;
pub mod working_days;
