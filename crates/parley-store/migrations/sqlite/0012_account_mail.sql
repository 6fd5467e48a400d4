-- Account recovery: single-use, expiring tokens mailed to the account's
-- address (stored only as SHA-256 hashes), and when the address was proven.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
CREATE TABLE account_tokens (
    token_hash BLOB    PRIMARY KEY NOT NULL,
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'verify_email' or 'reset_password'
    purpose    TEXT    NOT NULL,
    -- The address it was sent to: verifying proves only that one.
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id);
