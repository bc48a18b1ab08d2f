//! Seller > Registration and Seller > Services and Support.

pub mod registration;
pub mod support;
