DROP INDEX applications_company_status_product;
DROP TRIGGER applications_product_version_update;
DROP TRIGGER applications_product_version_insert;
DROP TABLE product_events;
DROP TABLE product_hidden_specs;
DROP INDEX products_unreleased;
DROP INDEX products_company_visibility_updated;
DROP INDEX products_company_lifecycle_updated;
ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'in_review', 'listed', 'rejected', 'hidden', 'removed'));
UPDATE products SET status = CASE
    WHEN lifecycle = 'removed' THEN 'removed'
    WHEN lifecycle = 'live' AND visibility = 'hidden' THEN 'hidden'
    WHEN lifecycle = 'live' THEN 'listed'
    WHEN EXISTS (SELECT 1 FROM applications a WHERE a.product_id = products.id
                 AND a.status IN ('pending', 'in_review')) THEN 'in_review'
    ELSE 'draft' END;
ALTER TABLE products DROP COLUMN visibility;
ALTER TABLE products DROP COLUMN lifecycle;
CREATE INDEX products_company_status_updated ON products(company_id, status, updated_at);
CREATE INDEX products_status_updated ON products(status, updated_at);
CREATE INDEX products_unreleased ON products(status) WHERE listed_release_id IS NULL;
