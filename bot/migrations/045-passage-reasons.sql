-- 045: why a passage is not quotable and why it is a spoiler, stored with the passage (issue 28 item 3,
-- issue 25 items 1 and 5). Values are the keys of bot/corpus/reasons.py (Refusal, SpoilerReason).
-- refusal: NULL exactly when quotable = 1. spoiler_reason: NULL = not a spoiler by its text; the
-- review's own flag (reviews.spoiler) is read beside it ('review_marked'), never copied here, so
-- unmarking a review needs no re-cut. 'moderator' is kept across retags. Rows imported before this
-- migration read NULL until the next import re-derives them (the bundle hash covers the pipeline code).
ALTER TABLE passages ADD COLUMN refusal TEXT;
ALTER TABLE passages ADD COLUMN spoiler_reason TEXT;
