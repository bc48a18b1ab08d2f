DROP TRIGGER products_version_insert ON products;
DROP TRIGGER products_version_update ON products;
DROP TRIGGER products_version_delete ON products;
DROP FUNCTION products_version_inserted();
DROP FUNCTION products_version_updated();
DROP FUNCTION products_version_deleted();
DROP FUNCTION bump_versions_of(BIGINT[]);

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
