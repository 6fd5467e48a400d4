-- Media accessibility: a description for people who cannot see the image
-- (empty until its uploader writes one), and a BlurHash of it computed with
-- the thumbnail, shown as a placeholder while the image loads.
ALTER TABLE media ADD COLUMN alt_text TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN blurhash TEXT;
