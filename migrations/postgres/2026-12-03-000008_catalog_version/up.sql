-- One version for the whole public catalog, moved by the database itself (once per statement)
-- whenever a catalog entry or a seller's name (shown on the cards) changes, whichever instance
-- or script made the change: a cached search result is served only under the version it was
-- read at.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);
CREATE FUNCTION bump_catalog_version() RETURNS trigger AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_version_entries AFTER INSERT OR UPDATE OR DELETE ON catalog_entries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER catalog_version_seller AFTER UPDATE OF legal_name ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
