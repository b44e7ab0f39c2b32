-- 246 (PostgreSQL): the index of 246-history-ratings.sql, and local_day(UTC ISO timestamp, IANA zone), the calendar
-- day of that moment there as 'YYYY-MM-DD', which SQLite's connections get from core/db.py's _local_day: a zone
-- PostgreSQL does not know reads as UTC, as there, never an error that would refuse a member's /history.
CREATE INDEX IF NOT EXISTS club_ratings_member ON club_ratings(guild_id, user_id);
CREATE OR REPLACE FUNCTION local_day(moment text, zone text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
BEGIN
    RETURN to_char(moment::timestamptz AT TIME ZONE zone, 'YYYY-MM-DD');
EXCEPTION WHEN invalid_parameter_value OR invalid_datetime_format OR datetime_field_overflow THEN
    RETURN left(moment, 10);
END
$fn$;
