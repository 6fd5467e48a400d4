-- The support desk: organizations, their agents, FAQs and consultations (a
-- customer's case, carried by a `support` conversation), plus the kind of a
-- message (automatic answers and system notes have no sender).
--
-- Search keys (`name_key`, `question_key`, `answer_key`) are lower-cased
-- copies written by the app, as `users.display_name_key` is: SQLite's lower()
-- folds only ASCII, so folding in Rust is what makes both dialects agree for
-- any script. Searches are `LIKE '%...%' ESCAPE '\'` over them.

CREATE TABLE organizations (
    id             UUID    PRIMARY KEY NOT NULL,
    -- Validated by the server (3-30 of [a-z0-9-]); the store keeps it unique.
    slug           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    name_key       TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    visibility     TEXT    NOT NULL CHECK (visibility IN ('public', 'hidden')),
    avatar_key     TEXT,
    auto_assign    BOOLEAN NOT NULL DEFAULT FALSE,
    -- Most active consultations per agent for round robin; NULL = no limit.
    agent_capacity BIGINT  CHECK (agent_capacity IS NULL OR agent_capacity > 0),
    created_at     BIGINT  NOT NULL,
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

-- Owners are agents too. `last_assigned_at` breaks round-robin ties: among
-- agents with as few active consultations, the one assigned longest ago.
CREATE TABLE org_agents (
    org_id           UUID    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id          UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('owner', 'agent')),
    last_assigned_at BIGINT,
    created_at       BIGINT  NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_agents_user_idx ON org_agents (user_id, org_id);

-- `position` is a 1-based sort key; ties go by creation (the UUIDv7 id).
CREATE TABLE faqs (
    id           UUID    PRIMARY KEY NOT NULL,
    org_id       UUID    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    question     TEXT    NOT NULL,
    answer       TEXT    NOT NULL,
    question_key TEXT    NOT NULL,
    answer_key   TEXT    NOT NULL,
    position     BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX faqs_org_position_idx ON faqs (org_id, position, id);

-- A consultation owns its conversation (one each, UNIQUE): deleting the
-- conversation or the organization removes it.
CREATE TABLE consultations (
    id               UUID    PRIMARY KEY NOT NULL,
    org_id           UUID    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_id      UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('waiting', 'active', 'closed')),
    assignee_id      UUID    REFERENCES users (id) ON DELETE SET NULL,
    conversation_id  UUID    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_at       BIGINT  NOT NULL,
    closed_at        BIGINT,
    last_activity_at BIGINT  NOT NULL,
    CONSTRAINT consultations_conversation_key UNIQUE (conversation_id)
);
CREATE INDEX consultations_queue_idx ON consultations (org_id, status, created_at);
CREATE INDEX consultations_customer_idx ON consultations (customer_id, last_activity_at);
-- Active counts per agent (agent lists, round robin) and the SET NULL cascade.
CREATE INDEX consultations_assignee_idx ON consultations (assignee_id, status);

ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
    CHECK (kind IN ('text', 'auto', 'system'));
