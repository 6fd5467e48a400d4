-- no-transaction
-- Sign-in through OAuth / OpenID Connect providers.
--
-- An account made by a provider has no password (until its owner sets one)
-- and may have no e-mail (a provider's unverified or taken address is not
-- copied), so both columns become nullable. SQLite cannot drop NOT NULL in
-- place: this is its documented table rebuild (sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"), which must run with foreign
-- keys off, hence outside sqlx's transaction with one of its own.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_rebuilt (
    id               BLOB    PRIMARY KEY NOT NULL,
    username         TEXT    NOT NULL,
    email            TEXT,
    password_hash    TEXT,
    display_name     TEXT    NOT NULL,
    bio              TEXT    NOT NULL DEFAULT '',
    status_message   TEXT    NOT NULL DEFAULT '',
    avatar_key       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    last_seen_at     INTEGER,
    followers_count  INTEGER NOT NULL DEFAULT 0,
    following_count  INTEGER NOT NULL DEFAULT 0,
    posts_count      INTEGER NOT NULL DEFAULT 0,
    display_name_key TEXT    NOT NULL DEFAULT '',
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email)
);
INSERT INTO users_rebuilt (id, username, email, password_hash, display_name, bio, status_message,
    avatar_key, created_at, updated_at, last_seen_at, followers_count, following_count,
    posts_count, display_name_key)
SELECT id, username, email, password_hash, display_name, bio, status_message,
    avatar_key, created_at, updated_at, last_seen_at, followers_count, following_count,
    posts_count, display_name_key
FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE INDEX users_display_name_key_idx ON users (display_name_key);

-- One row per (provider, subject): the provider's stable id of the person.
-- A user links each provider at most once, so unlinking names the provider.
CREATE TABLE identities (
    provider     TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    user_id      BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- What the provider said at the last sign-in, for the settings page.
    email        TEXT,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (provider, subject),
    CONSTRAINT identities_user_provider_key UNIQUE (user_id, provider)
);

-- How a session was signed in: 'password', or the provider's name. Deleting
-- an account without a password asks for a session freshly made by one of
-- its providers.
ALTER TABLE sessions ADD COLUMN signed_in_with TEXT NOT NULL DEFAULT 'password';
COMMIT;
PRAGMA foreign_keys = ON;
