"""/review export reads the corpus page by page and stops once past the upload limit: its work is bounded
by what one file can carry, not by the corpus (at 1.1M passages the whole read froze the bot for 13 s)."""

from __future__ import annotations

import json

import discord

import bot.reviews.export
from bot.reviews.rules import export_document
from tests.helpers import NASTY, add_review_file, msgs, text_of, unique_review


async def test_an_export_read_in_small_pages_holds_every_review(world, monkeypatch) -> None:
    """Pages of two reviews make the same file as one read: every review, oldest first."""
    monkeypatch.setattr(bot.reviews.export, "EXPORT_PAGE", 2)
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
    monkeypatch.setattr(bot.reviews.export, "EXPORT_PAGE", 2)
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


async def test_an_export_in_pages_is_byte_for_byte_the_whole_document(world, monkeypatch) -> None:
    """Pages of two reviews, hostile text included: the file is exactly export_document of every review."""
    monkeypatch.setattr(bot.reviews.export, "EXPORT_PAGE", 2)
    for i, nasty in enumerate(NASTY[:5]):
        await add_review_file(world, text=unique_review(i) + " " + nasty, film=f"Film {i}", critic=f"Critic {i}")
    expected = export_document([item for _, item in await world.bot.store.reviews.export_items()])
    [attachment] = msgs(await world.mod.slash(world.channel, "review export"))[0].attachments
    assert await attachment.read() == expected


async def test_an_export_whose_texts_fit_but_file_does_not_is_refused_exactly(world, monkeypatch) -> None:
    """The texts' lengths stay under the limit but the encoded file passes it: refused at the page that
    passed it, privately, no file, nothing written."""
    monkeypatch.setattr(bot.reviews.export, "EXPORT_PAGE", 2)
    for i in range(4):
        await add_review_file(world, text=unique_review(i), film=f"Film {i}")
    items = [item for _, item in await world.bot.store.reviews.export_items()]
    texts = sum(len(item["text"]) for item in items)
    limit = len(export_document(items)) - 1
    assert texts < limit
    monkeypatch.setattr(discord.Guild, "filesize_limit", property(lambda guild: limit))
    before = world.digest()
    r = await world.mod.slash(world.channel, "review export")
    assert f"upload limit of {limit:,} bytes" in text_of(r) and all(m.ephemeral for m in msgs(r))
    assert not msgs(r)[0].attachments and world.digest() == before
