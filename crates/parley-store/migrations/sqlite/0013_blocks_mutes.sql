-- Blocks and mutes between users. A block hides each user from the other
-- (feeds, comments, notifications, search, profiles) and refuses follows and
-- direct messages between them; a mute only hides the muted user's posts and
-- notifications from the muter. Both are one row per (owner, target) pair.
CREATE TABLE user_blocks (
    blocker_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
-- "Who blocked me": the reverse direction of every visibility check.
CREATE INDEX user_blocks_blocked_idx ON user_blocks (blocked_id, blocker_id);

CREATE TABLE user_mutes (
    muter_id   BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    muted_id   BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (muter_id, muted_id)
);
