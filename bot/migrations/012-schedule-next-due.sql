-- 012: each schedule's next slot to post, stored so the scheduler reads only what is due.
-- NULL = not known yet (new, resumed, a slot skipped or claimed): the job recomputes it from the
-- schedule's cadence and handled slots, then one indexed query finds every due schedule.
ALTER TABLE schedules ADD COLUMN next_due TEXT;
CREATE INDEX schedules_next_due ON schedules(next_due) WHERE paused = 0;
