-- Full-text search: our own inverted index, the same on both databases (see
-- parley_core::search for how text becomes terms). One row per distinct term
-- of a post or a message; the rows go with their document (ON DELETE CASCADE)
-- and are rewritten in the transaction that writes the text. Terms use the "C"
-- collation (byte order, like SQLite's BINARY), so a prefix is a range of the key.
CREATE TABLE post_terms (
    term    TEXT COLLATE "C" NOT NULL,
    post_id UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (term, post_id)
);
CREATE INDEX post_terms_post_idx ON post_terms (post_id);

CREATE TABLE message_terms (
    term       TEXT COLLATE "C" NOT NULL,
    message_id UUID NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (term, message_id)
);
CREATE INDEX message_terms_message_idx ON message_terms (message_id);

-- Which one-off jobs have run: 'search_backfill' once the posts and messages
-- that existed before this migration are indexed (Store::search_backfill at
-- start-up). `parley seed`, which inserts rows directly, removes it again.
CREATE TABLE store_jobs (
    name    TEXT NOT NULL PRIMARY KEY,
    done_at BIGINT NOT NULL
);
