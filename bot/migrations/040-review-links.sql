-- 040: reviews added from a link (/review add-link). A review keeps when its page was fetched and the
-- normalised URL it is known by (url_key: scheme, host case, tracking parameters, trailing slash and
-- fragment ignored), unique, so the same article is never added twice. A link's preview waits in
-- review_drafts (kind 'link') with the fetched text, so Save / Edit details / Cancel survive a restart;
-- the form drafts of /review add are kind 'form'.
ALTER TABLE reviews ADD COLUMN fetched_at TEXT;
ALTER TABLE reviews ADD COLUMN url_key TEXT;
CREATE UNIQUE INDEX reviews_url_key ON reviews(url_key) WHERE url_key IS NOT NULL;
ALTER TABLE review_drafts ADD COLUMN kind TEXT NOT NULL DEFAULT 'form';
ALTER TABLE review_drafts ADD COLUMN body TEXT;
