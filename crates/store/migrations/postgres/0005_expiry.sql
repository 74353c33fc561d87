-- Credentials that end by themselves (issue 12, defects 6 and 13).
-- An API token lives until `expires_at` (chosen when it is made). Tokens made before this
-- migration had no end: they get a year from the day they were made.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens
    SET expires_at = to_char((created_at::timestamptz + interval '365 days') AT TIME ZONE 'UTC',
                             'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    WHERE expires_at IS NULL;
-- A one-time password an administrator handed over works until `password_expires_at`; a
-- password its owner chose has none (NULL).
ALTER TABLE users ADD COLUMN password_expires_at TEXT;
