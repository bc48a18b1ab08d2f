-- Product Transaction lists a seller's orders newest first (by the time placed) under each of
-- its filters, and counts them from an index alone: one index per filter, each ending in the
-- list's order.
DROP INDEX orders_seller_created;
CREATE INDEX orders_seller_created ON orders(company_id, created_at, id);
CREATE INDEX orders_seller_state ON orders(company_id, state, created_at, id);
CREATE INDEX orders_seller_product ON orders(company_id, product_id, created_at, id);
-- A bill's orders, by the bill (and what a deleted bill would have to look up).
CREATE INDEX orders_sale_bill ON orders(sale_bill_id) WHERE sale_bill_id IS NOT NULL;
CREATE INDEX orders_refund_bill ON orders(refund_bill_id) WHERE refund_bill_id IS NOT NULL;

-- A counter per seller that moves with every change to its orders, kept by the database so no
-- write path can forget it: Product Transaction caches its rendered list under it.
CREATE TABLE company_order_versions (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

-- Statement-level, from the transition tables: the bill job updates thousands of a seller's
-- orders in one statement, which then bumps the version once, not once a row.
CREATE FUNCTION bump_company_order_versions() RETURNS trigger AS $$
BEGIN
    INSERT INTO company_order_versions AS v (company_id, version)
        SELECT DISTINCT company_id, 1 FROM changed_orders
        ON CONFLICT (company_id) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_version_insert AFTER INSERT ON orders
    REFERENCING NEW TABLE AS changed_orders
    FOR EACH STATEMENT EXECUTE FUNCTION bump_company_order_versions();
CREATE TRIGGER orders_version_update AFTER UPDATE ON orders
    REFERENCING NEW TABLE AS changed_orders
    FOR EACH STATEMENT EXECUTE FUNCTION bump_company_order_versions();
-- An order moved to another company (not something the console does) is caught by its old
-- company's row too.
CREATE TRIGGER orders_version_moved AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS changed_orders
    FOR EACH STATEMENT EXECUTE FUNCTION bump_company_order_versions();

-- The session is read with the order version (see src/auth/session_cache.rs): a change
-- notifies every instance, as company_product_versions does (migration 000012).
CREATE TRIGGER order_versions_changed AFTER INSERT OR UPDATE OR DELETE ON company_order_versions
    FOR EACH ROW EXECUTE FUNCTION notify_session_change();
