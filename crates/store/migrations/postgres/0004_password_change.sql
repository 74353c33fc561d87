-- A password an administrator handed over (a one-time password printed on first start, by
-- `lipa user add|reset-password`, or on the users page) must be replaced by its owner before
-- they can do anything else: 1 until they choose their own.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
