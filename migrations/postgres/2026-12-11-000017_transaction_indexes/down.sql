DROP TRIGGER orders_version ON orders;
DROP FUNCTION bump_company_order_version();
DROP TABLE company_order_versions;
DROP INDEX orders_refund_bill;
DROP INDEX orders_sale_bill;
DROP INDEX orders_seller_product;
DROP INDEX orders_seller_state;
DROP INDEX orders_seller_created;
CREATE INDEX orders_seller_created ON orders(company_id, created_at);
