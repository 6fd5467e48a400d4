-- How far the organization's agents have read a consultation, shared by all
-- of them (as a help desk's "agent last seen"): agents reach a support
-- conversation through their role, not through a conversation_members row,
-- so their read marker lives on the consultation. Their unread count is the
-- customer's messages after it.
ALTER TABLE consultations ADD COLUMN agent_read_seq BIGINT NOT NULL DEFAULT 0;

-- An organization's avatar is a media row like a user's: `org_avatar_of`
-- keeps it alive (the garbage rule of migration 0004, extended in
-- media_garbage.rs) even once its uploader's account is gone; replacing or
-- removing it, or deleting the organization, makes it garbage.
ALTER TABLE media ADD COLUMN org_avatar_of UUID REFERENCES organizations (id) ON DELETE SET NULL;
CREATE INDEX media_org_avatar_idx ON media (org_avatar_of);
