//! The integration suite: every test gets its own app and database. Runs on SQLite, and on
//! PostgreSQL when TEST_DATABASE_URL is set.

mod helpers;

mod access;
mod auth;
mod bad_input;
mod benefits;
mod catalog;
mod cli;
mod hardening;
mod health;
mod i18n;
mod i18n_sweep;
mod layout;
mod lifecycle;
mod mail;
mod orders;
mod products;
mod refunds;
mod registration;
mod review;
mod settlement;
mod sms;
mod smtp;
mod support;
mod uploads;
