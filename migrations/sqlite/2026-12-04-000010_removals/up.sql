-- Files a seller attaches to an application (a removal's proof), checked by content. They
-- belong to the application, not to the product's working copy.
CREATE TABLE application_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX application_files_application ON application_files(application_id);

-- SKUs removed through an approved removal (SPEC 7.4): never offered again, whatever the
-- working copy's attributes still make.
CREATE TABLE product_removed_skus (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    spec_name TEXT NOT NULL,
    sku_key TEXT NOT NULL,
    PRIMARY KEY (product_id, spec_name, sku_key)
);
