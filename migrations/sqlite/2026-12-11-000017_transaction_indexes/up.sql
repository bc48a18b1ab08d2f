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
CREATE TRIGGER orders_version_insert AFTER INSERT ON orders
BEGIN
    INSERT OR IGNORE INTO company_order_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_order_versions SET version = version + 1 WHERE company_id = NEW.company_id;
END;
CREATE TRIGGER orders_version_update AFTER UPDATE ON orders
BEGIN
    INSERT OR IGNORE INTO company_order_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_order_versions SET version = version + 1
        WHERE company_id IN (NEW.company_id, OLD.company_id);
END;
