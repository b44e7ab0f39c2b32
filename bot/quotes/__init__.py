"""Quoting critics: picking, searching and showing passages (/quote, /search, /critics).

`store` owns the picks' SQL (a random passage per filter, its scope and seeks, context, search) and the
"Another" filters; the catalogue /critics lists (films, critics, theme counts, autocomplete) is
`bot/corpus/catalogue_store.py`, and /discuss's rotation SQL is `bot/discussion/rotation_store.py`.
"""
