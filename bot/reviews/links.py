"""`/review add-link`: fetch a review page, extract its article, preview it, then store it on Save.

The page is fetched by the shared safe fetcher (`bot.core.fetch`), its article extracted in the worker
process (`bot.corpus.pool.run_isolated`), and the preview kept as a draft in SQLite (text included), so
Save / Edit details / Cancel work after a restart and nothing is fetched twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.fetch import FetchPolicy, check_hop, fetch_page, url_key
from bot.core.refusals import UserError
from bot.core.spoilers import Gate, server_gate
from bot.core.text import inert
from bot.core.time import utc_now_iso
from bot.corpus.article import Article, extract_article
from bot.corpus.pool import WorkerTimeout, run_isolated
from bot.reviews.link_rules import (
    FilmGuess,
    PageFacts,
    check_article_size,
    chosen_film,
    draft_meta,
    film_from_page,
    link_meta,
    names_film,
    page_warnings,
)
from bot.reviews.render import link_preview_text
from bot.reviews.rules import DuplicateLink, Prepared, ReviewMeta, check_year, prepare

if TYPE_CHECKING:
    from bot.client import FilmBot

EXTRACT_TIMEOUT = 30.0  # seconds of parsing in the worker before it is killed


@dataclass(frozen=True)
class LinkDraft:
    """A link preview as saved: the review's metadata, how the film was found, and the text."""

    meta: ReviewMeta
    how: str
    fetched_at: str
    url_key: str
    page_title: str | None
    body: str
    page: PageFacts = field(default_factory=PageFacts)

    @classmethod
    def load(cls, data: dict[str, Any], body: str) -> LinkDraft:
        page = PageFacts(**data["page"]) if isinstance(data.get("page"), dict) else PageFacts()  # none before link2
        return cls(ReviewMeta(**data["meta"]), data["how"], data["fetched_at"], data["url_key"],
                   data.get("page_title"), body, page)


async def read_article(url: str, policy: FetchPolicy) -> tuple[str, str, Article]:
    """(final URL, fetched at, article) of a page, or UserError saying in one line why not."""
    fetched = await fetch_page(url, policy)
    try:
        article = await run_isolated(
            extract_article, fetched.body, fetched.content_type, fetched.charset, fetched.url,
            timeout=EXTRACT_TIMEOUT,
        )
    except WorkerTimeout:
        raise UserError("That page is too complex to read in time: not a review page I can use.") from None
    if article.refusal:
        raise UserError(article.refusal)
    return fetched.url, utc_now_iso(), article  # the bot's clock (the fetch ran on its own loop)


async def check_not_added(bot: FilmBot, *urls: str) -> None:
    for url in urls:
        review_id = await bot.store.reviews.by_url_key(url_key(url))
        if review_id is not None:
            raise DuplicateLink(review_id)


async def film_for(bot: FilmBot, article: Article, film: str | None, year: int | None) -> FilmGuess:
    if film is not None:
        return chosen_film(film, year)
    catalogue = [(title, film_year) for _, title, film_year, _ in await bot.store.catalogue.films()]
    guess = film_from_page(article.title, article.film, catalogue)
    if guess is None:
        raise UserError(
            f"I can't tell which film the page “{inert(article.title or 'untitled', 120)}” reviews:"
            " run the command again with `film:`."
        )
    return guess


async def new_link_preview(
    bot: FilmBot, guild_id: int, user_id: int, url: str, film: str | None, year: int | None, spoiler: bool
) -> tuple[int, str]:
    """Fetch, extract and prepare the page; save the draft. (draft id, preview text)."""
    policy = FetchPolicy.from_settings(bot.settings)
    check_hop(url.strip(), policy)
    check_year(year)
    await check_not_added(bot, url)
    final_url, fetched_at, article = await read_article(url.strip(), policy)
    await check_not_added(bot, final_url)
    check_article_size(article.text)
    guess = await film_for(bot, article, film, year)
    meta = link_meta(article, guess, final_url, year=year, spoiler=spoiler)
    draft = LinkDraft(meta, guess.how, fetched_at, url_key(final_url), article.title, article.text,
                      PageFacts.of(article))
    text = await preview(bot, draft, guild_id)
    data = draft_meta(meta, how=guess.how, fetched_at=fetched_at, url_key=draft.url_key, page_title=article.title,
                      page=draft.page)
    draft_id = await bot.store.drafts.save(guild_id, user_id, data, kind="link", body=article.text)
    return draft_id, text


async def prepared(bot: FilmBot, draft: LinkDraft) -> Prepared:
    # Segmenting and tagging ≤ 100 KB of text: off the event loop, as /review add does.
    return await asyncio.to_thread(prepare, draft.meta, draft.body, bot.themes)


async def preview(bot: FilmBot, draft: LinkDraft, guild_id: int | None) -> str:
    item = await prepared(bot, draft)
    gate = await gate_of(bot, guild_id, draft.meta)
    return link_preview_text(item.meta, item.passages, bot.themes, how=draft.how, fetched_at=draft.fetched_at,
                             held=gate.note if gate else None, warnings=page_warnings(item.meta, draft.page))


async def gate_of(bot: FilmBot, guild_id: int | None, meta: ReviewMeta) -> Gate | None:
    """The server's gate when it holds back the draft's film: its spoilers are then left out of the preview,
    as `/review show` leaves them out, not merely hidden (the preview is read in the server, before the film)."""
    gate = await server_gate(bot.store, guild_id, bot.themes)
    if gate is None:
        return None
    film = await bot.store.films.get(gate.film_id)
    return gate if film is not None and names_film(meta.film, meta.year, film) else None


async def load_draft(bot: FilmBot, draft_id: int, user_id: int) -> LinkDraft:
    found = await bot.store.drafts.link(draft_id, user_id)
    if found is None:
        raise UserError("That preview was already saved or cancelled, or has expired: run `/review add-link` again.")
    return LinkDraft.load(*found)
