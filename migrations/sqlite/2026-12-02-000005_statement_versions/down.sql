-- PostgreSQL moves the product list version once per statement (see its migration); SQLite
-- has only row triggers, and a row update there does not grow with the rows before it.
SELECT 1;
