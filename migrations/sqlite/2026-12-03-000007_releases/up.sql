-- Every approved release or modification is an immutable, numbered snapshot of what buyers see
-- (fields, specifications, SKUs, prices, the after-sales group's details, the files it shows);
-- the product points at its listed one. The catalog and the product page read releases only,
-- never the editable working copy. Existing approved releases are copied in by the start-up
-- backfill (`product_release::backfill`), which renders the same search text on both backends.
CREATE TABLE product_releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    number INTEGER NOT NULL CHECK (number > 0),
    application_id BIGINT REFERENCES applications(id),
    name TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    released_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, number)
);

CREATE TABLE product_release_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    release_id BIGINT NOT NULL REFERENCES product_releases(id),
    kind TEXT NOT NULL CHECK (kind IN ('logo', 'request_template', 'business_letter', 'copyright_certificate')),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX product_release_files_release ON product_release_files(release_id, kind);

ALTER TABLE products ADD COLUMN listed_release_id BIGINT REFERENCES product_releases(id);
-- The backfill finds listed products without a release row at once, also among a million.
CREATE INDEX products_unreleased ON products(status) WHERE listed_release_id IS NULL;

-- One row per product the public catalog shows (listed and shown), built from its listed
-- release in the transaction that changes it; the full-text index follows it by triggers.
-- name_terms and body_terms are the search text (`domain::search::index_text`): lowercased,
-- punctuation as spaces, padded, and Chinese characters also as one- and two-character words,
-- so that a trigram index answers every query length.
CREATE TABLE catalog_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL UNIQUE REFERENCES products(id),
    release_id BIGINT NOT NULL REFERENCES product_releases(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    delivery_method TEXT NOT NULL CHECK (delivery_method IN ('image', 'saas', 'license',
        'professional_services', 'consulting_services')),
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    overview TEXT NOT NULL,
    listed_at TIMESTAMP NOT NULL,
    name_terms TEXT NOT NULL,
    body_terms TEXT NOT NULL
);
-- "Newest" is the order products entered the catalog: the entry's id (a new entry per listing).
CREATE INDEX catalog_entries_method ON catalog_entries(delivery_method, id);
CREATE INDEX catalog_entries_category ON catalog_entries(category, id);

CREATE VIRTUAL TABLE catalog_search USING fts5(
    name_terms, body_terms,
    content = 'catalog_entries', content_rowid = 'id',
    tokenize = 'trigram'
);
CREATE TRIGGER catalog_entries_search_insert AFTER INSERT ON catalog_entries BEGIN
    INSERT INTO catalog_search(rowid, name_terms, body_terms)
        VALUES (new.id, new.name_terms, new.body_terms);
END;
CREATE TRIGGER catalog_entries_search_delete AFTER DELETE ON catalog_entries BEGIN
    INSERT INTO catalog_search(catalog_search, rowid, name_terms, body_terms)
        VALUES ('delete', old.id, old.name_terms, old.body_terms);
END;
CREATE TRIGGER catalog_entries_search_update AFTER UPDATE ON catalog_entries BEGIN
    INSERT INTO catalog_search(catalog_search, rowid, name_terms, body_terms)
        VALUES ('delete', old.id, old.name_terms, old.body_terms);
    INSERT INTO catalog_search(rowid, name_terms, body_terms)
        VALUES (new.id, new.name_terms, new.body_terms);
END;
