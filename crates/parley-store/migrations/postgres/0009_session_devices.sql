-- Sessions you can see: the device (its User-Agent, cut to 512 characters)
-- and the address a session was signed in from, for the sessions list.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
