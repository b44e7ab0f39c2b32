"""The start-up heap frozen out of the cyclic GC (bot/core/heap.py): only when asked, after set-up, and an import's
worker pool does not thaw it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Settings
from bot.core.config import ConfigError
from bot.corpus import load_themes
from bot.corpus.pool import PARALLEL_FROM, TextPool
from tests.helpers import assert_ephemeral_reply, public_reply


@pytest.fixture
def thawed() -> Iterator[None]:
    """Whatever a test froze is thawed after it: the rest of the session keeps Python's default collector."""
    yield
    gc.unfreeze()


def test_only_filmbot_run_freezes_by_default() -> None:
    assert Settings().freeze_heap is False
    assert Settings.from_env({}).freeze_heap is False  # scripts and tests that read the environment
    assert Settings.from_env({}, one_bot_process=True).freeze_heap is True  # `filmbot run`
    assert Settings.from_env({"FILMBOT_GC_FREEZE": "off"}, one_bot_process=True).freeze_heap is False
    assert Settings.from_env({"FILMBOT_GC_FREEZE": "on"}).freeze_heap is True
    with pytest.raises(ConfigError, match="FILMBOT_GC_FREEZE"):
        Settings.from_env({"FILMBOT_GC_FREEZE": "sometimes"})


@pytest.fixture
def settings(tmp_path: Path, thawed: None) -> Settings:
    return Settings(database=tmp_path / "filmbot.db", freeze_heap=True)


async def test_a_bot_set_up_with_freeze_heap_has_its_heap_frozen_and_works(world) -> None:
    assert gc.get_freeze_count() > 10_000  # the command tree, the corpus caches, discord.py's state
    assert "Review #" in public_reply(await world.alice.slash(world.channel, "quote"))  # answers as before
    gc.collect()  # collections still run, over what came after start-up
    assert "Review #" in public_reply(await world.alice.slash(world.channel, "quote"))
    assert_ephemeral_reply(await world.alice.slash(world.channel, "schedule pause", id=1), "Only moderators")


async def test_the_corpus_summaries_are_filled_before_the_freeze(world) -> None:
    """Filled after it, they would be young objects every full collection walks (bot/core/heap.py)."""
    summary = world.bot.store.catalogue.summaries.current()
    assert summary.films and summary.reviews_by_film and summary.critic_reviews is not None
    assert None in summary.theme_counts and summary.film_index
    frozen = gc.get_freeze_count()
    assert "Review #" in public_reply(await world.alice.slash(world.channel, "quote"))
    assert world.bot.store.catalogue.summaries.current() is summary  # used as filled, not rebuilt
    # Nothing frozen again; a frozen object freed meanwhile (a slow machine's deferred answer drops one) lowers it.
    assert gc.get_freeze_count() <= frozen


async def test_an_import_pool_leaves_a_frozen_heap_frozen(thawed: None) -> None:
    gc.freeze()
    before = gc.get_freeze_count()
    pool = TextPool(load_themes(Settings().themes_file), expected=PARALLEL_FROM)
    await pool.close()
    assert gc.get_freeze_count() >= before > 0


async def test_an_import_pool_thaws_what_it_froze_itself(thawed: None) -> None:
    gc.unfreeze()
    pool = TextPool(load_themes(Settings().themes_file), expected=PARALLEL_FROM)
    await pool.close()
    assert gc.get_freeze_count() == 0
