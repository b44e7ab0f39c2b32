"""Poll logic without Discord: validation, bars and percentages, and the store's once-only guarantees."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.core import db as database
from bot.core.db import Database
from bot.core.refusals import UserError
from bot.polls import rules as polls
from bot.polls.store import PollStore

NOW = "2026-01-01T00:00:00+00:00"
LATER = "2026-01-02T00:00:00+00:00"


def refusal(**kwargs) -> str:
    with pytest.raises(UserError) as caught:
        polls.validate(**{"question": "Q?", "options": "A | B", **kwargs})
    return caught.value.message


def test_options_are_trimmed_and_kept_in_order():
    """`  A |B  | C ` gives three trimmed options."""
    assert polls.parse_options("  A |B  | C ") == ["A", "B", "C"]


def test_each_limit_names_itself_and_the_value():
    """Every refusal says which limit and what was given."""
    assert "you gave 1" in refusal(options="only one")
    assert "you gave 26" in refusal(options="|".join(str(i) for i in range(26)))
    assert "Option 2 of 2 is empty" in refusal(options="A | ")
    assert "repeats option 1" in refusal(options="Yes | YES")
    assert "yours has 301" in refusal(question="x" * 301)
    assert "you gave 0" in refusal(hours=0) and "you gave 769" in refusal(hours=769)
    assert "at most 55" in refusal(options="A | " + "x" * 56)
    assert "at most 80" in refusal(options="A | " + "x" * 81, hide_results=True)


def test_native_only_without_flags_and_up_to_ten_options():
    """Native polls: no anonymous/hidden flag and at most 10 options; a long option fits a button poll."""
    assert polls.validate("Q", "A | B").native
    assert not polls.validate("Q", "A | B", anonymous=True).native
    assert not polls.validate("Q", "|".join(f"o{i}" for i in range(11))).native
    assert not polls.validate("Q", "A | " + "x" * 80, hide_results=True).native
    assert polls.validate("Q", "A | B").hours == 24


def test_percentages_and_bars():
    """Shares of all votes, rounded; ten-cell bars."""
    assert polls.percentages([3, 3]) == [50, 50]
    assert polls.percentages([2, 0, 1]) == [67, 0, 33]
    assert polls.percentages([0, 0]) == [0, 0]
    assert polls.bar(50) == "█████░░░░░" and polls.bar(0) == "░" * 10 and polls.bar(100) == "█" * 10
    assert polls.result_lines(["A", "B"], [3, 3])[0] == ("A", "█████░░░░░ 50% (3)")


def test_results_body_escapes_user_text():
    """Markdown and mentions in options are made inert."""
    body = polls.results_body(["**bold** @everyone"], [1], 1, False)
    assert "\\*\\*bold\\*\\*" in body and "@everyone" not in body


def test_poll_id_parsing():
    """Autocomplete value, a plain id or #id; anything else is refused."""
    assert polls.parse_poll_id("12") == 12 and polls.parse_poll_id(" #7 ") == 7
    with pytest.raises(UserError):
        polls.parse_poll_id("Happy ending?")


@pytest.fixture
async def store(tmp_path):
    conn = await database.connect(tmp_path / "polls.db")
    await database.migrate(conn)
    db = Database(conn)
    yield PollStore(db), tmp_path / "polls.db"
    await db.close()


async def new_poll(store: PollStore, *, multiple: bool = False, options=("A", "B", "C")) -> int:
    return await store.create(
        guild_id=1,
        channel_id=2,
        creator_id=3,
        kind="buttons",
        question="Q",
        options=options,
        multiple=multiple,
        anonymous=True,
        hide_results=False,
        created_at=NOW,
        deadline=LATER,
    )


async def test_concurrent_clicks_count_exactly(store):
    """100 members clicking at once, some twice: one row per member, toggles honoured."""
    polls_store, _ = store
    poll_id = await new_poll(polls_store)
    clicks = [polls_store.vote(poll_id, user, user % 3 + 1, NOW) for user in range(100)]
    clicks += [polls_store.vote(poll_id, user, user % 3 + 1, NOW) for user in range(0, 100, 10)]
    await asyncio.gather(*clicks)
    tally = await polls_store.tally(poll_id)
    assert tally.voters == 90 and sum(tally.counts) == 90


async def test_single_choice_cannot_hold_two_rows(store):
    """The partial unique index refuses a second choice for one member in a single-choice poll."""
    polls_store, path = store
    poll_id = await new_poll(polls_store)
    await polls_store.vote(poll_id, 7, 1, NOW)
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO poll_votes VALUES (?, 7, 2, 1, ?)", (poll_id, NOW))


async def test_multiple_choice_toggles(store):
    """Multiple choice: clicks add options, a second click removes one."""
    polls_store, _ = store
    poll_id = await new_poll(polls_store, multiple=True)
    await polls_store.vote(poll_id, 7, 1, NOW)
    await polls_store.vote(poll_id, 7, 3, NOW)
    outcome = await polls_store.vote(poll_id, 7, 1, NOW)
    assert outcome is not None and outcome.choices == (3,)


async def test_close_happens_once_and_freezes_votes(store):
    """Two closes at once: exactly one wins; afterwards votes change nothing."""
    polls_store, _ = store
    poll_id = await new_poll(polls_store)
    await polls_store.vote(poll_id, 7, 2, NOW)
    first, second = await asyncio.gather(
        polls_store.close(poll_id, NOW, None), polls_store.close(poll_id, NOW, 3)
    )
    assert [first is None, second is None].count(True) == 1
    outcome = await polls_store.vote(poll_id, 8, 1, NOW)
    assert outcome is not None and outcome.closed and outcome.choices == ()
    assert (await polls_store.tally(poll_id)).counts == (0, 1, 0)


async def test_votes_after_deadline_are_refused(store):
    """A click after the deadline, before the job ran, records nothing."""
    polls_store, _ = store
    poll_id = await new_poll(polls_store)
    outcome = await polls_store.vote(poll_id, 7, 1, LATER)
    assert outcome is not None and outcome.closed
    assert await polls_store.due(LATER) == [poll_id] and await polls_store.due(NOW) == []
