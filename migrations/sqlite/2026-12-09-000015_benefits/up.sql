-- applications.kind gains the benefit requests: SQLite cannot change a CHECK in place, so the
-- table is rebuilt (outside Diesel's transaction, see metadata.toml: foreign keys must be off
-- while the old table is dropped, or the rows referencing it would be cascaded away).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE applications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'product_release', 'product_modification',
        'product_removal', 'business_contact_change', 'presales_info_change', 'company_name_change',
        'banner_request', 'featured_request', 'test_coupon_request')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_review', 'approved', 'rejected', 'withdrawn')),
    payload TEXT NOT NULL,
    product_id BIGINT,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    due_date DATE NOT NULL,
    may_take_longer BOOLEAN NOT NULL DEFAULT FALSE,
    reviewer_id BIGINT REFERENCES users(id),
    decided_at TIMESTAMP,
    latest_comment TEXT,
    updated_at TIMESTAMP NOT NULL,
    review_fields TEXT,
    hidden_by_seller BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO applications_new (id, company_id, kind, subject, status, payload, product_id, submitted_by, submitted_at, due_date, may_take_longer, reviewer_id, decided_at, latest_comment, updated_at, review_fields, hidden_by_seller)
    SELECT id, company_id, kind, subject, status, payload, product_id, submitted_by, submitted_at, due_date, may_take_longer, reviewer_id, decided_at, latest_comment, updated_at, review_fields, hidden_by_seller FROM applications;
DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;
CREATE INDEX applications_company_submitted ON applications(company_id, submitted_at);
CREATE INDEX applications_company_kind_status ON applications(company_id, kind, status);
CREATE INDEX applications_status_due ON applications(status, due_date);
CREATE INDEX applications_product ON applications(product_id, status);
CREATE INDEX applications_company_status_product ON applications(company_id, status, product_id);
CREATE TRIGGER applications_product_version_insert AFTER INSERT ON applications
    WHEN NEW.product_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO company_product_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_product_versions SET version = version + 1 WHERE company_id = NEW.company_id;
END;
CREATE TRIGGER applications_product_version_update AFTER UPDATE ON applications
    WHEN NEW.product_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO company_product_versions (company_id, version) VALUES (NEW.company_id, 0);
    UPDATE company_product_versions SET version = version + 1 WHERE company_id = NEW.company_id;
END;

-- Policies and Benefits (SPEC 13): a banner or featured-zone slot for a month, or test coupons
-- for a product. Each request is an application (its status is the application's); this row
-- keeps what the rules count: one slot request per seller and month, a coupon once per
-- product, the month's slots.
CREATE TABLE benefit_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('banner', 'featured', 'test_coupon')),
    -- The month a slot shows, YYYY-MM (slots only).
    month TEXT CHECK (length(month) = 7),
    product_id BIGINT NOT NULL REFERENCES products(id),
    -- A coupon's amount in US cents (coupons only).
    amount_usd_cents BIGINT CHECK (amount_usd_cents > 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX benefit_requests_company_month ON benefit_requests(company_id, month);
CREATE INDEX benefit_requests_month_kind ON benefit_requests(month, kind);
CREATE INDEX benefit_requests_product ON benefit_requests(product_id, kind);
COMMIT;
PRAGMA foreign_keys = ON;
