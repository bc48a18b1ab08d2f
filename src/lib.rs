//! Seller Console: a self-hostable software marketplace console.

pub mod applications;
pub mod auth;
pub mod bench;
pub mod bench_orders;
pub mod cache;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod health;
pub mod i18n;
pub mod limits;
pub mod middleware;
pub mod models;
pub mod outbox;
pub mod payments;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod views;
pub mod web;
