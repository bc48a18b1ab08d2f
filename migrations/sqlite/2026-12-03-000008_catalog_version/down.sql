DROP TRIGGER catalog_version_seller;
DROP TRIGGER catalog_version_delete;
DROP TRIGGER catalog_version_update;
DROP TRIGGER catalog_version_insert;
DROP TABLE catalog_version;
