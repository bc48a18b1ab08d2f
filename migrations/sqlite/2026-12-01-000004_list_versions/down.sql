DROP TRIGGER products_version_delete;
DROP TRIGGER products_version_update;
DROP TRIGGER products_version_insert;
DROP TABLE company_product_versions;
