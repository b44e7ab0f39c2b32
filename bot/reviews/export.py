"""/review export's file, built in bounded steps: the event loop and the database thread are never held long.

1. A floor of the file's size, page by page from the texts' lengths alone (a review's JSON holds at
   least its text): a corpus whose floor passes the upload limit is refused before anything is encoded.
2. Otherwise the reviews page by page (EXPORT_PAGE per read: a short hold of the database thread), each
   page encoded in a thread (a few ms of GIL each, the loop runs between pages), its exact bytes counted,
   refused as soon as the file would pass the limit.
3. The file is the chunks joined: byte for byte what `export_document` makes of the same reviews.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.core.refusals import UserError
from bot.reviews.rules import export_chunk, export_file_size, export_join

if TYPE_CHECKING:
    from bot.reviews.store import ReviewStore

EXPORT_PAGE = 200  # reviews read and encoded per step (~2 KB each: a few ms of database thread and GIL)
LENGTH_PAGE = 1000  # reviews whose text lengths one floor read sums


def _too_big(limit: int, after: int) -> UserError:
    return UserError(
        f"The export is over this server's upload limit of {limit:,} bytes (passed at review"
        f" #{after}): `/review list` pages through the corpus instead."
    )


async def _refuse_early(store: ReviewStore, limit: int) -> None:
    """UserError if the texts alone pass `limit`; reads no more pages than it takes to know."""
    floor, after = 0, 0
    while page := await store.export_lengths(after, LENGTH_PAGE):
        after, characters = page
        floor += characters  # UTF-8 bytes ≥ characters, and JSON only adds to them
        if floor > limit:
            raise _too_big(limit, after)


async def build_export(store: ReviewStore, limit: int) -> tuple[bytes, int]:
    """(the export file, its number of reviews), or UserError when it would pass `limit` bytes."""
    await _refuse_early(store, limit)
    chunks: list[bytes] = []
    count, size, after = 0, 0, 0
    while page := await store.export_items(after, EXPORT_PAGE):
        after = page[-1][0]
        chunk = await asyncio.to_thread(export_chunk, [item for _, item in page])
        chunks.append(chunk)
        count += len(page)
        size += len(chunk)
        if export_file_size(size, len(chunks)) > limit:
            raise _too_big(limit, after)
    return export_join(chunks), count
