DROP INDEX products_status_updated;
DROP TABLE messages;
DROP TABLE outbox;
ALTER TABLE applications DROP COLUMN hidden_by_seller;
ALTER TABLE applications DROP COLUMN review_fields;
