-- 097 (PostgreSQL): a member's flag on a passage is per server (see bot/migrations/097-*.sql); the key
-- changes in place.
ALTER TABLE passage_flags DROP CONSTRAINT passage_flags_pkey;
ALTER TABLE passage_flags ADD PRIMARY KEY (passage_id, user_id, guild_id);
