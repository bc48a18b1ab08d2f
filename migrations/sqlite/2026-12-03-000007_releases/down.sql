DROP TRIGGER catalog_entries_search_update;
DROP TRIGGER catalog_entries_search_delete;
DROP TRIGGER catalog_entries_search_insert;
DROP TABLE catalog_search;
DROP TABLE catalog_entries;
DROP INDEX products_unreleased;
ALTER TABLE products DROP COLUMN listed_release_id;
DROP TABLE product_release_files;
DROP TABLE product_releases;
