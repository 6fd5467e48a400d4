-- Chat: direct and group conversations, members with read markers, and
-- messages ordered by a per-conversation `seq`.
--
-- `seq` is allocated by `UPDATE conversations SET last_seq = last_seq + 1 ...
-- RETURNING last_seq` inside the message's insert transaction: the row lock
-- orders concurrent senders of one conversation and leaves every other
-- conversation alone; a rolled-back send releases its number, so seq has no
-- gaps and no duplicates (the UNIQUE constraint guards it).

CREATE TABLE conversations (
    id              UUID    PRIMARY KEY NOT NULL,
    kind            TEXT    NOT NULL,            -- direct | group | support
    title           TEXT,
    -- For direct conversations, "<smaller user id>:<larger user id>": the
    -- unique index makes "one conversation per pair" race-free.
    direct_key      TEXT    UNIQUE,
    created_by      UUID    REFERENCES users (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    last_activity_at BIGINT NOT NULL
);

CREATE TABLE conversation_members (
    conversation_id UUID    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at       BIGINT NOT NULL,
    last_read_seq   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user_idx ON conversation_members (user_id, conversation_id);

CREATE TABLE messages (
    id              UUID    PRIMARY KEY NOT NULL,
    conversation_id UUID    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    -- NULL once the sender's account is deleted (the message text is erased
    -- first); the conversation's history keeps its shape.
    sender_id       UUID    REFERENCES users (id) ON DELETE SET NULL,
    text            TEXT    NOT NULL,
    -- The sender's idempotency key: a retried send finds its first attempt.
    client_id       TEXT,
    created_at      BIGINT NOT NULL,
    edited_at       BIGINT,
    deleted_at      BIGINT,
    CONSTRAINT messages_seq_key UNIQUE (conversation_id, seq),
    CONSTRAINT messages_client_id_key UNIQUE (conversation_id, sender_id, client_id)
);
CREATE INDEX messages_sender_idx ON messages (sender_id);
