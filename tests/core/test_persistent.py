"""Persistent components (bot/core/persistent.py): custom ids are byte-identical to the ones already posted.

Messages posted months ago carry these ids and external tests build them by hand: a template or an id
that changes by one byte leaves those buttons dead. The expected strings below are copied from the code
as it was before the shared helper (issue 23 item 4); never edit one, add new rows.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import discord
import pytest

from bot.core.persistent import Persistent, PrebuiltView, fill
from bot.flags.rules import Decision, Reason

TEMPLATES = {
    ("bot.flags.views", "FlagButton"): r"filmbot:flag:(?P<passage>\d{1,18})",
    ("bot.flags.views", "ReasonButton"):
        r"filmbot:flag:reason:(?P<passage>\d{1,18}):(?P<reason>reads_badly|wrong_film|spoiler)",
    ("bot.flags.views", "DecideButton"):
        r"filmbot:flag:decide:(?P<decision>hide|keep|spoiler|trim):(?P<passage>\d{1,18}):(?P<page>\d{1,6})",
    ("bot.flags.views", "PageButton"): r"filmbot:flag:page:(?P<page>-?\d{1,6})",
    ("bot.flags.views", "TrimSelect"): r"filmbot:flag:trimto:(?P<passage>\d{1,18})",
    ("bot.quotes.views", "AnotherQuoteButton"): r"filmbot:quote:another:(?P<query>\d{1,18}):(?P<passage>\d{1,18})",
    ("bot.quotes.views", "ContextButton"): r"filmbot:quote:context:(?P<passage>\d{1,18})",
    ("bot.club.views", "GameAnswer"): r"filmbot:game:answer:(?P<round>\d{1,18}):(?P<answer>critic|club)",
    ("bot.club.views", "ForgetConfirm"): r"filmbot:club:forget:(?P<user>\d{1,20})",
    ("bot.polls.views", "VoteButton"): r"filmbot:poll:vote:(?P<poll>\d{1,18}):(?P<option>\d{1,2})",
    ("bot.polls.views", "VoteSelect"): r"filmbot:poll:select:(?P<poll>\d{1,18})",
    ("bot.reviews.views", "RemoveButton"): r"filmbot:review:remove:(?P<id>\d{1,18})",
    ("bot.reviews.views", "ListPageButton"):
        r"filmbot:review:list:(?P<query>\d{1,18}):(?P<page>\d{1,9}):(?P<dir>[pn])",
    ("bot.reviews.link_views", "LinkButton"): r"filmbot:review:link:(?P<id>\d{1,18}):(?P<action>save|edit|cancel)",
    ("bot.discussion.suggestion_views", "SuggestionButton"):
        r"filmbot:suggest:(?P<action>approve|reject):(?P<id>\d{1,18})",
    ("bot.filmnight.views", "PageButton"):
        r"filmbot:filmnight:wl:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])",
    ("bot.filmnight.views", "NightsPage"):
        r"filmbot:filmnight:nights:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])",
    ("bot.filmnight.views", "DecisionButton"): r"filmbot:filmnight:(?P<action>approve|reject):(?P<entry>\d{1,18})",
    ("bot.filmnight.views", "QueuePageButton"):
        r"filmbot:filmnight:pending:(?P<guild>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])",
    ("bot.filmnight.views", "QueueDecisionButton"):
        r"filmbot:filmnight:pending-(?P<action>approve|reject):(?P<entry>\d{1,18})",
    ("bot.filmnight.views", "RankSelect"):
        r"filmbot:filmnight:rank:(?P<pick>\d{1,18})(?::(?P<prefix>\d{1,2}(?:-\d{1,2})?))?",
    ("bot.filmnight.watch_views", "WatchedButton"): r"filmbot:watched:(?P<screening>\d{1,18})",
    ("bot.filmnight.watch_views", "SpoilersButton"): r"filmbot:watched:spoilers:(?P<film>\d{1,18})",
    ("bot.filmnight.watch_views", "HistoryPage"):
        r"filmbot:history:(?P<user>\d{1,20}):(?P<page>\d{1,4}):(?P<dir>[pn])",
}

# (module, class, constructor arguments, the custom id the code built before the shared helper)
SAMPLES: list[tuple[str, str, tuple[Any, ...], str]] = [
    ("bot.flags.views", "FlagButton", (42,), "filmbot:flag:42"),
    ("bot.flags.views", "ReasonButton", (42, Reason.WRONG_FILM), "filmbot:flag:reason:42:wrong_film"),
    ("bot.flags.views", "DecideButton", (Decision.SPOILER, 42, 3), "filmbot:flag:decide:spoiler:42:3"),
    ("bot.flags.views", "PageButton", (2,), "filmbot:flag:page:2"),
    ("bot.flags.views", "PageButton", (-1,), "filmbot:flag:page:-1"),
    ("bot.flags.views", "TrimSelect", (42,), "filmbot:flag:trimto:42"),
    ("bot.quotes.views", "AnotherQuoteButton", (7, 42), "filmbot:quote:another:7:42"),
    ("bot.quotes.views", "ContextButton", (42,), "filmbot:quote:context:42"),
    ("bot.club.views", "GameAnswer", (9, "critic"), "filmbot:game:answer:9:critic"),
    ("bot.club.views", "GameAnswer", (9, "club"), "filmbot:game:answer:9:club"),
    ("bot.club.views", "ForgetConfirm", (123456789012345678,), "filmbot:club:forget:123456789012345678"),
    ("bot.polls.views", "VoteButton", (5, 12), "filmbot:poll:vote:5:12"),
    ("bot.polls.views", "VoteSelect", (5,), "filmbot:poll:select:5"),
    ("bot.reviews.views", "RemoveButton", (31,), "filmbot:review:remove:31"),
    ("bot.reviews.views", "ListPageButton", (8, 0, "p"), "filmbot:review:list:8:0:p"),
    ("bot.reviews.views", "ListPageButton", (8, 4, "n"), "filmbot:review:list:8:4:n"),
    ("bot.reviews.link_views", "LinkButton", (11, "save"), "filmbot:review:link:11:save"),
    ("bot.reviews.link_views", "LinkButton", (11, "cancel"), "filmbot:review:link:11:cancel"),
    ("bot.discussion.suggestion_views", "SuggestionButton", ("approve", 6), "filmbot:suggest:approve:6"),
    ("bot.discussion.suggestion_views", "SuggestionButton", ("reject", 6), "filmbot:suggest:reject:6"),
    ("bot.filmnight.views", "PageButton", (1002, 0, "p"), "filmbot:filmnight:wl:1002:0:p"),
    ("bot.filmnight.views", "PageButton", (1002, 3, "n"), "filmbot:filmnight:wl:1002:3:n"),
    ("bot.filmnight.views", "NightsPage", (1002, 11, "n"), "filmbot:filmnight:nights:1002:11:n"),
    ("bot.filmnight.views", "DecisionButton", ("approve", 14), "filmbot:filmnight:approve:14"),
    ("bot.filmnight.views", "QueuePageButton", (1002, 1, "n"), "filmbot:filmnight:pending:1002:1:n"),
    ("bot.filmnight.views", "QueueDecisionButton", ("reject", 14), "filmbot:filmnight:pending-reject:14"),
    ("bot.filmnight.views", "RankSelect", (21,), "filmbot:filmnight:rank:21"),
    ("bot.filmnight.views", "RankSelect", (21, (3,)), "filmbot:filmnight:rank:21:3"),
    ("bot.filmnight.views", "RankSelect", (21, (3, 1)), "filmbot:filmnight:rank:21:3-1"),
    ("bot.filmnight.watch_views", "WatchedButton", (17,), "filmbot:watched:17"),
    ("bot.filmnight.watch_views", "SpoilersButton", (4,), "filmbot:watched:spoilers:4"),
    ("bot.filmnight.watch_views", "HistoryPage", (55, 0, "p"), "filmbot:history:55:0:p"),
    ("bot.filmnight.watch_views", "HistoryPage", (55, 2, "n"), "filmbot:history:55:2:n"),
]


def _cls(module: str, name: str) -> type[discord.ui.DynamicItem[Any]]:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, discord.ui.DynamicItem)
    return cls  # type: ignore[no-any-return]


@pytest.mark.parametrize(("where", "template"), TEMPLATES.items(), ids=lambda v: str(v))
def test_templates_are_byte_identical(where: tuple[str, str], template: str) -> None:
    """Every persistent component still parses exactly the ids it parsed before."""
    assert _cls(*where).__discord_ui_compiled_template__.pattern == template


@pytest.mark.parametrize(("module", "name", "args", "custom_id"), SAMPLES, ids=lambda v: str(v))
def test_custom_ids_are_byte_identical(module: str, name: str, args: tuple[Any, ...], custom_id: str) -> None:
    """A component built today carries the id the old code gave it, and parsing that id rebuilds it."""
    cls = _cls(module, name)
    assert cls(*args).custom_id == custom_id
    match = cls.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    rebuilt = asyncio.run(cls.from_custom_id(None, None, match))  # type: ignore[arg-type]
    assert rebuilt.custom_id == custom_id


def test_every_persistent_component_is_listed() -> None:
    """A new DynamicItem gets a row above (its id is then frozen too)."""
    found = set()
    for module in {m for m, _ in TEMPLATES}:
        for name, value in vars(importlib.import_module(module)).items():
            if isinstance(value, type) and issubclass(value, discord.ui.DynamicItem) and value.__module__ == module:
                found.add((module, name))
    assert found == set(TEMPLATES)


def test_fill_builds_the_id_from_the_template() -> None:
    """The one template both builds and parses: optional groups drop out when their value is empty."""
    template = r"filmbot:x:(?P<a>\d{1,18})(?::(?P<b>\d{1,2}(?:-\d{1,2})?))?"
    assert fill(template, (1, "")) == "filmbot:x:1"
    assert fill(template, (1, "2-3")) == "filmbot:x:1:2-3"
    assert fill(r"filmbot:y:(?P<r>a|b)", (Reason.SPOILER,)) == "filmbot:y:spoiler"


def test_a_value_the_template_refuses_is_an_error() -> None:
    """An id the template would not parse back is never built (it would be a dead button)."""
    class Probe(Persistent[discord.ui.Button[discord.ui.View]], template=r"filmbot:probe:(?P<n>\d{1,2})"):
        def __init__(self, n: int) -> None:
            super().__init__(discord.ui.Button(label="x", custom_id=self.id_for(n)))

    assert Probe(12).custom_id == "filmbot:probe:12"
    with pytest.raises(ValueError):
        Probe(123)


def _views_payload(*items: discord.ui.Item[Any]) -> list[dict[str, Any]]:
    """What discord.py sends for a persistent View holding these DynamicItems."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view.to_components()


@pytest.mark.parametrize(("query", "passage"), [(1, 2), (5, 77), (10**17, 10**18 - 1)])
def test_a_quote_s_prebuilt_buttons_send_what_its_view_sent(query: int, passage: int) -> None:
    """/quote's Another, More context and Flag, sent from payloads: the same components, rows and custom ids."""
    from bot.flags.views import FlagButton, flag_view
    from bot.quotes.views import AnotherQuoteButton, ContextButton

    prebuilt = flag_view([passage], PrebuiltView(AnotherQuoteButton.payload((query, passage)),
                                                 ContextButton.payload((passage,))))
    assert prebuilt.to_components() == _views_payload(
        AnotherQuoteButton(query, passage), ContextButton(passage), FlagButton(passage, "Flag"))
    assert prebuilt.is_finished() and not prebuilt.has_components_v2()  # discord.py keeps nothing, as before


@pytest.mark.parametrize("passages", [[3], [3, 4], list(range(1, 8))])
def test_a_prompt_s_prebuilt_flag_buttons_send_what_its_view_sent(passages: list[int]) -> None:
    """A prompt's Flag buttons (one, a debate's two, more than a row's five) from payloads: the same rows."""
    from bot.flags.views import FlagButton, flag_view

    labels = ["Flag"] if len(passages) == 1 else [f"Flag excerpt {n}" for n in range(1, len(passages) + 1)]
    assert flag_view(passages).to_components() == _views_payload(
        *(FlagButton(passage, label) for passage, label in zip(passages, labels, strict=True)))


def test_a_prebuilt_payload_is_not_shared_between_messages() -> None:
    """Each payload is a dict of its own: changing one (its custom id) leaves the next unchanged."""
    from bot.quotes.views import ContextButton

    first = ContextButton.payload((1,))
    first["custom_id"] = "changed"
    assert ContextButton.payload((2,))["custom_id"] == "filmbot:quote:context:2"
