"""Polls: pure rules and tallies, the poll store, the vote views and the deadline job (/poll)."""
