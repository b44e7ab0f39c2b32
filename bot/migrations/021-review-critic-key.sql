-- 021: each review's rotation key stored: bot.core.films.named_critic_key(critic), NULL without a byline
-- (such a review is its own critic, 'review:' || id, made when read: the id is unknown before the INSERT).
-- The /discuss pick compared critic_key(critic, id), a Python function SQLite calls back for every
-- candidate row; under load each call waits for the GIL the event loop holds. Written by the stores
-- with every review; filled here once with that same function (registered on every connection).
ALTER TABLE reviews ADD COLUMN critic_key TEXT;
UPDATE reviews SET critic_key = critic_key(critic, id) WHERE critic IS NOT NULL AND critic <> '';
