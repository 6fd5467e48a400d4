-- The social network: posts with hashtags, follows, likes, threaded comments
-- and notifications. Counters are denormalised onto their rows and changed
-- only by `x = x + 1` inside the same transaction as the fact they count, so
-- they stay exact under concurrency without read-modify-write in the app.

ALTER TABLE users ADD COLUMN followers_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN posts_count     BIGINT NOT NULL DEFAULT 0;

-- Prefix search on display names: a lower-cased copy written by the app
-- (SQLite's lower() only folds ASCII, so "Émile" must be folded in Rust).
ALTER TABLE users ADD COLUMN display_name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX users_display_name_key_idx ON users (display_name_key);

CREATE TABLE posts (
    id            UUID    PRIMARY KEY NOT NULL,
    author_id     UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text          TEXT    NOT NULL,
    like_count    BIGINT NOT NULL DEFAULT 0,
    comment_count BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    edited_at     BIGINT
);
-- Ids are UUIDv7 (time-ordered), so `id DESC` is newest first and doubles as
-- the keyset cursor of every feed.
CREATE INDEX posts_author_idx ON posts (author_id, id);

CREATE TABLE post_hashtags (
    post_id UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_hashtags_tag_idx ON post_hashtags (tag, post_id);

CREATE TABLE follows (
    follower_id UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee_idx ON follows (followee_id, follower_id);

CREATE TABLE post_likes (
    post_id    UUID    NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_likes_user_idx ON post_likes (user_id, post_id);

CREATE TABLE comments (
    id          UUID    PRIMARY KEY NOT NULL,
    post_id     UUID    NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id   UUID    REFERENCES comments (id) ON DELETE CASCADE,
    author_id   UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    reply_count BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX comments_thread_idx ON comments (post_id, parent_id, id);
CREATE INDEX comments_parent_idx ON comments (parent_id, id);

-- kind: follow | like | comment | reply | mention. post_id/comment_id say
-- what it is about, when it is about something.
CREATE TABLE notifications (
    id           UUID    PRIMARY KEY NOT NULL,
    recipient_id UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    actor_id     UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id      UUID    REFERENCES posts (id) ON DELETE CASCADE,
    comment_id   UUID    REFERENCES comments (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    read_at      BIGINT
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, id);
