-- PostgreSQL only: instances there cache sessions and hear of changes by notification (see
-- the PostgreSQL migration of the same name). SQLite reads every session from the file.
SELECT 1;
