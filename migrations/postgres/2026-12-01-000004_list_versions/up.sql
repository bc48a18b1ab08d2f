-- A counter per company that moves with every change to its products, kept by the database
-- itself so no write path can forget it: My Products caches its rendered list under it.
CREATE TABLE company_product_versions (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

CREATE FUNCTION bump_company_product_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO company_product_versions AS v (company_id, version) VALUES (NEW.company_id, 1)
            ON CONFLICT (company_id) DO UPDATE SET version = v.version + 1;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.company_id <> NEW.company_id) THEN
        UPDATE company_product_versions SET version = version + 1 WHERE company_id = OLD.company_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER products_version AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION bump_company_product_version();
