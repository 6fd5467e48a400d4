-- Media: uploaded images, their thumbnail jobs, and the objects waiting to be
-- deleted from storage.
--
-- A media row is what the API calls `Media`; its files live in the object
-- store under server-made keys (`original_key`, `thumbnail_key`). Nothing
-- else ever deletes a file: rows that stopped being wanted are moved to
-- `media_deletions` by the sweeper, which then deletes their objects. A row
-- is unwanted when
--   * its owner's account is gone (`owner_id` set NULL by the cascade),
--   * it was attached (`attached_at`) but its post, message or avatar is gone
--     (the references are set NULL by the cascades, or the message is deleted),
--   * or it was never attached and is older than the orphan limit (24 h).
-- Foreign keys do the bookkeeping in the same transaction as the deletion
-- that causes it, so no deletion path can forget a file.

CREATE TABLE media (
    id             UUID    PRIMARY KEY NOT NULL,
    owner_id       UUID    REFERENCES users (id) ON DELETE SET NULL,
    content_type   TEXT    NOT NULL,
    original_key   TEXT    NOT NULL,
    thumbnail_key  TEXT,
    width          BIGINT  NOT NULL,
    height         BIGINT  NOT NULL,
    size_bytes     BIGINT  NOT NULL,
    status         TEXT    NOT NULL,          -- processing | ready | failed
    failure_reason TEXT,
    post_id        UUID    REFERENCES posts (id) ON DELETE SET NULL,
    message_id     UUID    REFERENCES messages (id) ON DELETE SET NULL,
    avatar_of      UUID    REFERENCES users (id) ON DELETE SET NULL,
    -- Order among the attachments of one post or message.
    position       BIGINT  NOT NULL DEFAULT 0,
    attached_at    BIGINT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX media_post_idx ON media (post_id, position);
CREATE INDEX media_message_idx ON media (message_id, position);
CREATE INDEX media_owner_idx ON media (owner_id);
CREATE INDEX media_avatar_idx ON media (avatar_of);
CREATE INDEX media_unattached_idx ON media (created_at) WHERE attached_at IS NULL;

-- One thumbnail job per media while it is pending. `running` rows belong to
-- a worker; a worker that starts re-queues what a stopped one left running.
CREATE TABLE media_jobs (
    media_id   UUID    PRIMARY KEY NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    state      TEXT    NOT NULL,              -- queued | running
    attempts   BIGINT  NOT NULL DEFAULT 0,
    run_after  BIGINT  NOT NULL,
    claimed_at BIGINT,
    created_at BIGINT  NOT NULL
);
CREATE INDEX media_jobs_queue_idx ON media_jobs (state, run_after);

-- Object keys whose rows are gone; the sweeper deletes the objects, then these.
CREATE TABLE media_deletions (
    object_key TEXT    PRIMARY KEY NOT NULL,
    created_at BIGINT  NOT NULL
);
