PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE benefit_requests;
DELETE FROM application_events WHERE application_id IN (SELECT id FROM applications WHERE kind IN ('banner_request', 'featured_request', 'test_coupon_request'));
CREATE TABLE applications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'product_release', 'product_modification',
        'product_removal', 'business_contact_change', 'presales_info_change', 'company_name_change')),
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
    SELECT id, company_id, kind, subject, status, payload, product_id, submitted_by, submitted_at, due_date, may_take_longer, reviewer_id, decided_at, latest_comment, updated_at, review_fields, hidden_by_seller FROM applications WHERE kind NOT IN ('banner_request', 'featured_request', 'test_coupon_request');
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
COMMIT;
PRAGMA foreign_keys = ON;
