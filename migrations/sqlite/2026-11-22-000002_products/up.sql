-- Products: drafts keep the editor's values as typed (form); listing columns are real columns.
-- Specifications, SKUs and prices are written at submission, for review and the catalog.
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL DEFAULT '',
    delivery_method TEXT NOT NULL CHECK (delivery_method IN ('image', 'saas', 'license',
        'professional_services', 'consulting_services')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'listed', 'rejected', 'hidden', 'removed')),
    form TEXT NOT NULL,
    service_group_id BIGINT REFERENCES service_groups(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_company_updated ON products(company_id, updated_at);
CREATE INDEX products_company_status_updated ON products(company_id, status, updated_at);
CREATE INDEX products_company_name ON products(company_id, name);
CREATE INDEX products_service_group ON products(service_group_id);

CREATE TABLE specifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    billing_mode TEXT NOT NULL CHECK (billing_mode IN ('yearly_monthly', 'one_time', 'pay_per_use')),
    quantity_name TEXT,
    quantity_unit TEXT,
    quantity_min BIGINT,
    quantity_max BIGINT,
    quantity_step BIGINT,
    quantity_pricing TEXT CHECK (quantity_pricing IN ('linear', 'tiered')),
    currency TEXT NOT NULL
);
CREATE INDEX specifications_product ON specifications(product_id, position);

CREATE TABLE skus (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    specification_id BIGINT NOT NULL REFERENCES specifications(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sku_key TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE INDEX skus_specification ON skus(specification_id, position);

CREATE TABLE sku_prices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    period_kind TEXT NOT NULL CHECK (period_kind IN ('month', 'year', 'once', 'hour')),
    amount_minor BIGINT,
    bands TEXT
);
CREATE INDEX sku_prices_sku ON sku_prices(sku_id);

CREATE TABLE uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    product_id BIGINT REFERENCES products(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('logo', 'request_template', 'business_letter', 'copyright_certificate')),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX uploads_product ON uploads(product_id, kind);

CREATE INDEX applications_product ON applications(product_id, status);
