-- Accounts and sign-in sessions. Ids are UUIDv7 (16-byte BLOB here, UUID in
-- PostgreSQL); timestamps are unix milliseconds.
CREATE TABLE users (
    id             BLOB    PRIMARY KEY NOT NULL,
    username       TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    display_name   TEXT    NOT NULL,
    bio            TEXT    NOT NULL DEFAULT '',
    status_message TEXT    NOT NULL DEFAULT '',
    avatar_key     TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    last_seen_at   INTEGER,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email)
);

-- A session is one refresh-token family: every token rotated from a sign-in
-- belongs to it, and revoking it ends them all (and the access tokens that
-- name it).
CREATE TABLE sessions (
    id           BLOB    PRIMARY KEY NOT NULL,
    user_id      BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    remember     BOOLEAN NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes. `used_at` marks a token
-- already rotated: presenting it again is reuse, and revokes the family.
CREATE TABLE refresh_tokens (
    token_hash BLOB    PRIMARY KEY NOT NULL,
    session_id BLOB    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
