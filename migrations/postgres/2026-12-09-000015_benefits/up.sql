ALTER TABLE applications DROP CONSTRAINT applications_kind_check;
ALTER TABLE applications ADD CONSTRAINT applications_kind_check CHECK (kind IN ('registration',
    'product_release', 'product_modification', 'product_removal', 'business_contact_change',
    'presales_info_change', 'company_name_change', 'banner_request', 'featured_request',
    'test_coupon_request'));

-- Policies and Benefits (SPEC 13): a banner or featured-zone slot for a month, or test coupons
-- for a product. Each request is an application (its status is the application's); this row
-- keeps what the rules count: one slot request per seller and month, a coupon once per
-- product, the month's slots.
CREATE TABLE benefit_requests (
    id BIGSERIAL PRIMARY KEY,
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
