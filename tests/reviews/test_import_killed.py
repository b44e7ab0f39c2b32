"""A big /review import with the bot killed in the middle of it: whole reviews only (the import is one
transaction: none of its reviews), the moderator's re-run adds each once, and a third run doubles nothing."""

from __future__ import annotations

import json

from bot.reviews.store import ReviewStore
from tests.helpers import rows, text_of

REVIEWS = 300


def big_export(n: int = REVIEWS) -> bytes:
    items = [{
        "film": f"Imported Film {i}", "year": 1950 + i % 70, "critic": f"Critic {i % 40}", "outlet": None,
        "url": None, "date": None, "spoiler": False, "source": "moderator",
        "text": f"Imported Film {i} is a quiet drama about a family that learns to speak again after loss {i}."
                " The director frames every dinner scene with patient, generous long takes.",
    } for i in range(n)]
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": items}).encode()


def imported(settings) -> list:
    return rows(settings, "SELECT count(*), count(DISTINCT body_hash) FROM reviews WHERE critic LIKE 'Critic %'")


def orphans(settings) -> list:
    return rows(settings, "SELECT count(*) FROM passages p LEFT JOIN reviews r ON r.id = p.review_id"
                          " WHERE r.id IS NULL")


async def test_an_import_killed_half_way_leaves_no_part_and_reruns_once(world, settings, monkeypatch):
    """Killed after 150 of 300 reviews were written in its transaction: the database holds none of them and no
    stray passage; the re-run adds all 300 once; a third run adds none and says they were there."""
    world.env.settle_timeout = 120.0  # 300 reviews processed for real: ~5 s quiet, several times that on a loaded box
    data = big_export()
    original = ReviewStore._insert
    written = 0

    async def insert_then_die(self, *args, **kwargs):
        nonlocal written
        written += 1
        if written == REVIEWS // 2:  # the process stops here, its transaction open: its work is cancelled
            raise OSError("killed")  # as far as the database goes, a death
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(ReviewStore, "_insert", insert_then_die)
    killed = await world.mod.slash(world.channel, "review import", file=("big.json", data))
    assert killed.ephemeral and "Imported" not in text_of(killed), text_of(killed)  # never told it was imported
    world.env.errors.clear()  # the modelled death, not a bug
    monkeypatch.setattr(ReviewStore, "_insert", original)
    await world.env.restart_bot()
    assert imported(settings) == [(0, 0)] and orphans(settings) == [(0,)]
    again = await world.mod.slash(world.channel, "review import", file=("big.json", data))
    assert again.ephemeral and "300" in text_of(again), text_of(again)
    assert imported(settings) == [(REVIEWS, REVIEWS)]
    third = await world.mod.slash(world.channel, "review import", file=("big.json", data))
    assert "Added: 0" in text_of(third) and "Duplicates (already stored, skipped): 300" in text_of(third)
    assert imported(settings) == [(REVIEWS, REVIEWS)] and orphans(settings) == [(0,)]
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE target_type = 'review-import'") == [(2,)]
