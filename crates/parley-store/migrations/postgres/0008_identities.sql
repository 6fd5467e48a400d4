-- Sign-in through OAuth / OpenID Connect providers.
--
-- An account made by a provider has no password (until its owner sets one)
-- and may have no e-mail (a provider's unverified or taken address is not
-- copied), so both columns become nullable.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- One row per (provider, subject): the provider's stable id of the person.
-- A user links each provider at most once, so unlinking names the provider.
CREATE TABLE identities (
    provider     TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    user_id      UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- What the provider said at the last sign-in, for the settings page.
    email        TEXT,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT  NOT NULL,
    PRIMARY KEY (provider, subject),
    CONSTRAINT identities_user_provider_key UNIQUE (user_id, provider)
);

-- How a session was signed in: 'password', or the provider's name. Deleting
-- an account without a password asks for a session freshly made by one of
-- its providers.
ALTER TABLE sessions ADD COLUMN signed_in_with TEXT NOT NULL DEFAULT 'password';
