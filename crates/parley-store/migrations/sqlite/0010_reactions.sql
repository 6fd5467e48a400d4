-- Reactions on chat messages: who reacted with which emoji. A message holds
-- at most a bounded number of distinct emoji (the service's rule); the key
-- makes each person's reaction with one emoji count once.
CREATE TABLE message_reactions (
    message_id BLOB    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);
CREATE INDEX message_reactions_user_idx ON message_reactions (user_id);
