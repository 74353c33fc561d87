-- Uploaded import files between their preview and their commit. The file itself is kept (not
-- the parsed records), so that the commit reads it again and compares it with the store as it is
-- then: a change made between preview and commit is taken into account, never overwritten.
-- Rows expire; committing marks a row, so that a second click cannot write twice.
CREATE TABLE import_uploads (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    filename     TEXT NOT NULL,
    format       TEXT NOT NULL,
    year         INTEGER,
    district     TEXT,
    bytes        BLOB NOT NULL,
    committed_at TEXT,
    result       TEXT
);
CREATE INDEX import_uploads_user ON import_uploads (user_id, id);
CREATE INDEX import_uploads_expires ON import_uploads (expires_at);
