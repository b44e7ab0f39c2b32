"""Quoting critics: picking, searching and showing passages (/quote, /search, /critics)."""
