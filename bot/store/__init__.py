"""The data layer: every SQL statement of the bot lives under this package."""

from __future__ import annotations

from .audit import AuditStore
from .base import Database
from .corpus import CorpusWriter, NewReview
from .drafts import DraftStore
from .guilds import GuildSettings, GuildStore
from .meta import MetaStore
from .polls import PollStore
from .prompts import PromptStore
from .quotes import QueryStore, Quote, QuoteFilters, QuoteStore, unattributed_label
from .reviews import ReviewStore
from .schedules import ScheduleStore


class Store:
    """One object the bot hands to cogs: `bot.store.quotes.pick(...)`, `bot.store.guilds.get(...)`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.meta = MetaStore(db)
        self.guilds = GuildStore(db)
        self.audit = AuditStore(db)
        self.corpus = CorpusWriter(db)
        self.quotes = QuoteStore(db)
        self.queries = QueryStore(db)
        self.prompts = PromptStore(db)
        self.polls = PollStore(db)
        self.drafts = DraftStore(db)
        self.schedules = ScheduleStore(db)
        self.reviews = ReviewStore(db)


__all__ = [
    "AuditStore",
    "CorpusWriter",
    "Database",
    "GuildSettings",
    "GuildStore",
    "MetaStore",
    "NewReview",
    "QueryStore",
    "Quote",
    "QuoteFilters",
    "QuoteStore",
    "Store",
    "unattributed_label",
]
