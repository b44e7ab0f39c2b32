"""/review export reads the corpus page by page and stops once past the upload limit: its work is bounded
by what one file can carry, not by the corpus (at 1.1M passages the whole read froze the bot for 13 s)."""

from __future__ import annotations

import json

import discord

import cogs.reviews
from tests.helpers import add_review_file, msgs, text_of, unique_review


async def test_an_export_read_in_small_pages_holds_every_review(world, monkeypatch) -> None:
    """Pages of two reviews make the same file as one read: every review, oldest first."""
    monkeypatch.setattr(cogs.reviews, "EXPORT_PAGE", 2)
    for i in range(5):
        await add_review_file(world, text=unique_review(i), film=f"Film {i}")
    total = world.count("reviews")
    r = await world.mod.slash(world.channel, "review export")
    [attachment] = msgs(r)[0].attachments
    data = json.loads(await attachment.read())
    assert len(data["reviews"]) == total and data["reviews"][-1]["film"] == "Film 4"


async def test_an_export_over_the_upload_limit_stops_reading(world, monkeypatch) -> None:
    """Past the server's upload limit the export is refused, privately, after the pages that passed it:
    the rest of the corpus is never read."""
    monkeypatch.setattr(cogs.reviews, "EXPORT_PAGE", 2)
    monkeypatch.setattr(discord.Guild, "filesize_limit", property(lambda guild: 3_000))
    for i in range(6):
        await add_review_file(world, text=unique_review(i), film=f"Film {i}")
    pages: list[int] = []
    store = world.bot.store.reviews
    real = store.export_items

    async def counting(after: int = 0, limit: int = 1 << 62):
        pages.append(after)
        return await real(after, limit)

    monkeypatch.setattr(store, "export_items", counting)
    r = await world.mod.slash(world.channel, "review export")
    assert "upload limit of 3,000 bytes" in text_of(r) and all(m.ephemeral for m in msgs(r))
    assert not msgs(r)[0].attachments
    assert len(pages) < world.count("reviews") / 2
