"""Scheduled prompts: time maths, the schedule store and the job that posts each slot exactly once (/schedule)."""
