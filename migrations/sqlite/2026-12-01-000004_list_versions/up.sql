-- A counter per company that moves with every change to its products, kept by the database
-- itself so no write path can forget it: My Products caches its rendered list under it.
CREATE TABLE company_product_versions (
    company_id INTEGER PRIMARY KEY NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);

CREATE TRIGGER products_version_insert AFTER INSERT ON products
BEGIN
    INSERT OR IGNORE INTO company_product_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_product_versions SET version = version + 1 WHERE company_id = NEW.company_id;
END;

CREATE TRIGGER products_version_update AFTER UPDATE ON products
BEGIN
    INSERT OR IGNORE INTO company_product_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_product_versions SET version = version + 1
     WHERE company_id IN (NEW.company_id, OLD.company_id);
END;

CREATE TRIGGER products_version_delete AFTER DELETE ON products
BEGIN
    UPDATE company_product_versions SET version = version + 1 WHERE company_id = OLD.company_id;
END;
