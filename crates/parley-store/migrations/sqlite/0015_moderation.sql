-- Reports and moderation: who may moderate (`role`), who is barred from
-- signing in (`suspended_at`), what users reported, and the audit log of
-- every moderation action.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user';
ALTER TABLE users ADD COLUMN suspended_at INTEGER;
-- An existing install's first account becomes its admin (as sign-up makes
-- the first account of a new one).
UPDATE users SET role = 'admin'
 WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)
   AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin');

CREATE TABLE reports (
    id              BLOB    PRIMARY KEY NOT NULL,
    reporter_id     BLOB    REFERENCES users (id) ON DELETE SET NULL,
    -- 'post', 'comment', 'message' or 'user'
    target_kind     TEXT    NOT NULL,
    -- No foreign key: the report outlives the content it is about.
    target_id       BLOB    NOT NULL,
    -- The author of the content, or the account reported.
    target_user_id  BLOB    REFERENCES users (id) ON DELETE SET NULL,
    -- 'spam', 'abuse', 'illegal' or 'other'
    reason          TEXT    NOT NULL,
    comment         TEXT    NOT NULL DEFAULT '',
    -- What the content said when it was reported (for the queue, after removal too).
    snapshot        TEXT    NOT NULL DEFAULT '',
    -- 'open', 'resolved' or 'dismissed'
    status          TEXT    NOT NULL DEFAULT 'open',
    created_at      INTEGER NOT NULL,
    resolved_at     INTEGER,
    resolved_by     BLOB    REFERENCES users (id) ON DELETE SET NULL,
    resolution_note TEXT    NOT NULL DEFAULT ''
);
-- One open report per reporter and target: asking again returns it.
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_kind, target_id) WHERE status = 'open';
CREATE INDEX reports_status_idx ON reports (status, id);
CREATE INDEX reports_target_idx ON reports (target_kind, target_id);

CREATE TABLE audit_log (
    id             BLOB    PRIMARY KEY NOT NULL,
    -- NULL: the command line (`parley admin grant`), or a deleted admin.
    actor_id       BLOB    REFERENCES users (id) ON DELETE SET NULL,
    action         TEXT    NOT NULL,
    target_kind    TEXT    NOT NULL,
    target_id      BLOB    NOT NULL,
    target_user_id BLOB    REFERENCES users (id) ON DELETE SET NULL,
    detail         TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
