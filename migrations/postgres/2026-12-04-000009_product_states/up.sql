-- A product's state is three things, not one status (SPEC 7.1): its lifecycle (draft → live →
-- removed), its visibility (shown / hidden), and its open application, which is not stored here
-- at all: it is read from `applications`. A product is live from its first approved release on.
ALTER TABLE products ADD COLUMN lifecycle TEXT NOT NULL DEFAULT 'draft'
    CHECK (lifecycle IN ('draft', 'live', 'removed'));
ALTER TABLE products ADD COLUMN visibility TEXT NOT NULL DEFAULT 'shown'
    CHECK (visibility IN ('shown', 'hidden'));
UPDATE products SET lifecycle = CASE status
        WHEN 'listed' THEN 'live' WHEN 'hidden' THEN 'live' WHEN 'removed' THEN 'removed'
        ELSE 'draft' END,
    visibility = CASE status WHEN 'hidden' THEN 'hidden' ELSE 'shown' END;

DROP INDEX products_company_status_updated;
DROP INDEX products_status_updated;
DROP INDEX products_unreleased;
ALTER TABLE products DROP COLUMN status;
CREATE INDEX products_company_lifecycle_updated ON products(company_id, lifecycle, updated_at);
CREATE INDEX products_company_visibility_updated ON products(company_id, visibility, updated_at);
CREATE INDEX products_unreleased ON products(lifecycle) WHERE listed_release_id IS NULL;

-- A specification of a live product the seller hid (SPEC 7.3): not offered to new buyers.
-- Specifications are named uniquely within a product, and a product has at most five.
CREATE TABLE product_hidden_specs (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    spec_name TEXT NOT NULL,
    PRIMARY KEY (product_id, spec_name)
);

-- The history of a product (SPEC 7.6): every submission, review step, decision, hide and
-- unhide, with who, when and the application it belonged to. Written in the transaction of the
-- change itself. Earlier review steps are copied from the applications' timelines.
CREATE TABLE product_events (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('submitted', 'claimed', 'approved', 'rejected',
        'withdrawn', 'hidden', 'unhidden', 'spec_hidden', 'spec_unhidden')),
    application_id BIGINT REFERENCES applications(id),
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX product_events_product ON product_events(product_id, id);
INSERT INTO product_events (product_id, actor_id, kind, application_id, detail, created_at)
    SELECT a.product_id, e.actor_id,
        CASE e.status WHEN 'pending' THEN 'submitted' WHEN 'in_review' THEN 'claimed' ELSE e.status END,
        a.id, NULL, e.created_at
    FROM application_events e JOIN applications a ON a.id = e.application_id
    WHERE a.product_id IS NOT NULL
    ORDER BY e.id;

-- A product's open application is read from `applications`, so a change of an application
-- moves the company's My Products counter too (the list shows "in review").
CREATE FUNCTION bump_company_product_version_for_application() RETURNS trigger AS $$
BEGIN
    IF NEW.product_id IS NOT NULL THEN
        INSERT INTO company_product_versions AS v (company_id, version) VALUES (NEW.company_id, 1)
            ON CONFLICT (company_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER applications_product_version AFTER INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION bump_company_product_version_for_application();
-- Listing the products with an open application reads this index only.
CREATE INDEX applications_company_status_product ON applications(company_id, status, product_id);
