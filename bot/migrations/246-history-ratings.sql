-- 246: /history lists a member's rated films not recorded as watched with their watches, one paged query over
-- film_watches (its film_watches_member index) and club_ratings: this index is the ratings' side of it, a member's
-- ratings in one server (club_ratings_user, 020, spans every server). The rating's day in the server's zone is
-- SQL's local_day(rated_at, zone): a Python function on SQLite (core/db.py), a SQL function in the PostgreSQL twin.
CREATE INDEX IF NOT EXISTS club_ratings_member ON club_ratings(guild_id, user_id);
