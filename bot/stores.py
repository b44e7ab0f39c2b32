"""Store: the one object that holds every feature's store (the SQL itself lives in each store module)."""

from __future__ import annotations

from bot.club.stats_store import StatsStore
from bot.club.store import ClubStore
from bot.core.db import Database
from bot.core.generation_store import CorpusGeneration
from bot.core.store import AuditStore, GuildStore, MetaStore, RemovalStore
from bot.corpus.catalogue_store import CatalogueStore
from bot.corpus.store import CorpusWriter
from bot.discussion.questions_store import QuestionStore
from bot.discussion.rotation_store import RotationStore
from bot.discussion.store import PromptStore
from bot.discussion.suggestions_store import SuggestionStore
from bot.filmnight.store import FilmNightStore
from bot.filmnight.watch_store import WatchStore
from bot.films.store import FilmStore
from bot.flags.store import FlagStore
from bot.metadata.store import MetadataStore
from bot.polls.store import PollStore
from bot.quotes.store import QueryStore, QuoteStore
from bot.reviews.draft_store import DraftStore
from bot.reviews.running_store import RunningImportStore
from bot.reviews.store import ReviewStore
from bot.schedules.store import ScheduleStore


class Store:
    """One object the bot hands to cogs: `bot.store.quotes.pick(...)`, `bot.store.guilds.get(...)`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.meta = MetaStore(db)
        self.guilds = GuildStore(db)
        self.removals = RemovalStore(db)  # servers the bot was removed from (FilmBot.on_ready)
        self.audit = AuditStore(db)
        self.films = FilmStore(db)
        self.corpus = CorpusWriter(db)
        # One catalogue (and its in-memory summaries) shared by the quote picks and the discussion rotation.
        self.catalogue = CatalogueStore(db)
        self.quotes = QuoteStore(db, self.catalogue)
        self.rotation = RotationStore(db, self.quotes, self.catalogue)  # walks the picks' seeks (PassageSeeks)
        self.queries = QueryStore(db)
        self.prompts = PromptStore(db)
        self.questions = QuestionStore(db)
        self.suggestions = SuggestionStore(db, self.questions)
        self.polls = PollStore(db)
        self.drafts = DraftStore(db)
        self.schedules = ScheduleStore(db)
        self.reviews = ReviewStore(db)
        self.running_imports = RunningImportStore(db)  # a restart mid-import is told (reviews/interrupted)
        self.filmnight = FilmNightStore(db)
        self.club = ClubStore(db)
        self.stats = StatsStore(db)
        self.watches = WatchStore(db)
        self.metadata = MetadataStore(db)
        self.flags = FlagStore(db)
        self.generation = CorpusGeneration(db)  # corpus caches follow other processes' writes
