DROP TRIGGER catalog_version_seller ON companies;
DROP TRIGGER catalog_version_entries ON catalog_entries;
DROP FUNCTION bump_catalog_version();
DROP TABLE catalog_version;
