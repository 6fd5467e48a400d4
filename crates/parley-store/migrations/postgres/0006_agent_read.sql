-- How far the organization's agents have read a consultation, shared by all
-- of them (as a help desk's "agent last seen"): agents reach a support
-- conversation through their role, not through a conversation_members row,
-- so their read marker lives on the consultation. Their unread count is the
-- customer's messages after it.
ALTER TABLE consultations ADD COLUMN agent_read_seq BIGINT NOT NULL DEFAULT 0;
