-- The product list version moves once per statement and company instead of once per row: a
-- row trigger updating the same counter row for each of N rows of one statement made N row
-- versions of it, each found by walking the ones before (a bulk load of 300 000 products did
-- not finish in 15 minutes). Transition tables give each statement's rows at once.
DROP TRIGGER products_version ON products;
DROP FUNCTION bump_company_product_version();

CREATE FUNCTION bump_versions_of(company_ids BIGINT[]) RETURNS void AS $$
    INSERT INTO company_product_versions AS v (company_id, version)
        SELECT DISTINCT u.id, 1 FROM unnest(company_ids) AS u(id)
        ORDER BY u.id
        ON CONFLICT (company_id) DO UPDATE SET version = v.version + 1;
$$ LANGUAGE sql;

CREATE FUNCTION products_version_inserted() RETURNS trigger AS $$
BEGIN
    PERFORM bump_versions_of(ARRAY(SELECT company_id FROM new_rows));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION products_version_updated() RETURNS trigger AS $$
BEGIN
    PERFORM bump_versions_of(ARRAY(SELECT company_id FROM new_rows
                                   UNION SELECT company_id FROM old_rows));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION products_version_deleted() RETURNS trigger AS $$
BEGIN
    PERFORM bump_versions_of(ARRAY(SELECT company_id FROM old_rows));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER products_version_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION products_version_inserted();
CREATE TRIGGER products_version_update AFTER UPDATE ON products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION products_version_updated();
CREATE TRIGGER products_version_delete AFTER DELETE ON products
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION products_version_deleted();
