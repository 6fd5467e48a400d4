-- The Open API's registered sites. A domain is a host (name and optional
-- port) an owner registered with a tier; its client secret is stored only as
-- a keyed hash (HMAC-SHA256, computed by the server), unique so a secret
-- names one domain. `generation` goes up on every secret rotation: tokens
-- carry the generation they were made under and stop working when it moves.
CREATE TABLE developer_domains (
    id           BLOB    PRIMARY KEY NOT NULL,
    owner_id     BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Lower case, validated by the server.
    host         TEXT    NOT NULL,
    tier         TEXT    NOT NULL CHECK (tier IN ('free', 'premium')),
    secret_hash  BLOB    NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    CONSTRAINT developer_domains_owner_host_key UNIQUE (owner_id, host),
    CONSTRAINT developer_domains_secret_key UNIQUE (secret_hash)
);
-- The CORS check asks whether any owner registered a host.
CREATE INDEX developer_domains_host_idx ON developer_domains (host);
