"""Moderators' reviews: validation, the review store, rendering and the forms and buttons of /review."""
