-- One version for the whole public catalog, moved by the database itself whenever a catalog
-- entry or a seller's name (shown on the cards) changes, whichever instance or script made the
-- change: a cached search result is served only under the version it was read at.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);
CREATE TRIGGER catalog_version_insert AFTER INSERT ON catalog_entries BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_version_update AFTER UPDATE ON catalog_entries BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_version_delete AFTER DELETE ON catalog_entries BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_version_seller AFTER UPDATE OF legal_name ON companies BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
END;
