"""Persistent components: one template per DynamicItem both builds its custom id and parses it back.

A subclass gives its template (`filmbot:<feature>:<action>:(?P<id>\\d{1,18})…`) and a constructor whose
leading positional parameters are the template's groups, in order. `id_for(*values)` builds the id from
the template (so the two can never disagree), and `from_custom_id` turns the groups back into those
arguments: `int` by default, or the converter given in the class's `parse=` (`parse={"reason": Reason}`). A group
that did not match (an optional tail) is left to the parameter's default, so optional groups come last.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar, cast

import discord

from bot.core.errors import answer_error
from bot.core.slow import acknowledged_component

ItemT_co = TypeVar("ItemT_co", bound="discord.ui.Item[Any]", covariant=True)

_NEVER = r"(?!)"  # the base class's own template: matches nothing, the base is never registered
_SPECIAL = set(".^$*+?{}[]|()\\")


def _closing(pattern: str, start: int) -> int:
    """The index just after the parenthesis that closes the group opened at `start`."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        depth += (char == "(") - (char == ")")
        i += 1
        if depth == 0:
            return i
    raise ValueError(f"unbalanced template {pattern!r}")


def _text(value: object) -> str:
    return "" if value is None else str(value.value if isinstance(value, Enum) else value)


# A template's plan, read once per template: its literal text, None for each named group's value, and
# (values taken, plan inside) for each optional tail. Every button of every message fills one.
_Plan = tuple["str | None | tuple[int, _Plan]", ...]


@functools.cache
def _plan(pattern: str) -> _Plan:
    out: list[str | None | tuple[int, _Plan]] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):  # a named group: the next value
            i = _closing(pattern, i)
            out.append(None)
        elif pattern.startswith("(?:", i):  # an optional tail `(?:…(?P<x>…)…)?`: kept when its value is
            end = _closing(pattern, i)
            inner = pattern[i + 3:end - 1]
            if pattern[end:end + 1] != "?":
                raise ValueError(f"only optional (?:…)? groups are supported in {pattern!r}")
            out.append((len(re.findall(r"\(\?P<", inner)), _plan(inner)))
            i = end + 1
        elif pattern[i] == "\\" and pattern[i + 1:i + 2] and not pattern[i + 1].isalnum():
            out.append(pattern[i + 1])
            i += 2
        elif pattern[i] in _SPECIAL:
            raise ValueError(f"template {pattern!r} has a pattern outside its groups at {i}")
        else:
            out.append(pattern[i])
            i += 1
    merged: list[str | None | tuple[int, _Plan]] = []  # runs of literal characters as one string
    for part in out:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(merged)


def _filled(plan: _Plan, values: Iterator[str]) -> str:
    out: list[str] = []
    for part in plan:
        if part is None:
            out.append(next(values))
        elif isinstance(part, str):
            out.append(part)
        else:
            taken = [next(values) for _ in range(part[0])]
            if all(taken):
                out.append(_filled(part[1], iter(taken)))
    return "".join(out)


@functools.cache
def _format(pattern: str) -> tuple[str, int] | None:
    """A plan without optional tails as one `str.format` template (every button of every message is filled
    from one: a call instead of a walk of the plan); None when the plan has optional tails."""
    plan = _plan(pattern)
    if any(isinstance(part, tuple) for part in plan):
        return None
    text = "".join("{}" if part is None else str(part).replace("{", "{{").replace("}", "}}") for part in plan)
    return text, plan.count(None)


def fill(pattern: str, values: Sequence[object]) -> str:
    """The text of `pattern` with each named group replaced by the next value (enums by their value)."""
    texts = [_text(v) for v in values]
    template = _format(pattern)
    if template is not None and len(texts) == template[1]:
        return template[0].format(*texts)
    return _filled(_plan(pattern), iter(texts))


class PersistentView(discord.ui.View):
    """A view that never times out and that discord.py keeps nowhere: it only carries its components.

    Its buttons and menus are DynamicItems, which the cogs register when they load: a press is dispatched
    through that registration (after a restart too), never through this object. discord.py keeps every view
    it sends that is not finished, and gives one sent in an ephemeral message a 15-minute timeout task even
    at `timeout=None` (its token's life): one pending task and one kept view per confirmation shown (`/review
    remove`, `/rate forget-me`, every private page), to do nothing when it ends. So the view reports itself
    finished as long as every item is a DynamicItem or needs no listener (a link), and discord.py sends its
    components and keeps nothing. An item with a callback of its own makes it an ordinary view again.
    """

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_finished(self) -> bool:
        if all(isinstance(item, discord.ui.DynamicItem) or not item.is_dispatchable()
               for item in self.walk_children()):
            return True
        return super().is_finished()


def custom_ids(message: discord.Message) -> list[str]:
    """The custom ids of a message's components (buttons and menus, in their rows): how a message the bot posted is
    recognised again as a poll's, a round's, a queue record's or an invitation."""
    return [str(getattr(item, "custom_id", None) or "") for row in message.components
            for item in getattr(row, "children", [row])]


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view that never times out holding `items` (DynamicItems: they work after a restart), kept by nobody
    (`PersistentView`)."""
    view = PersistentView()
    for item in items:
        view.add_item(item)
    return view


class PrebuiltView(PersistentView):
    """A `PersistentView` of buttons given as their payloads (`Persistent.payload`), for the messages sent most
    (every /quote, every prompt): discord.py's View builds an item, a Button and its emoji per button and
    sorts them into rows (~25 µs for /quote's three, and garbage for the collector), to send the same dicts.
    It sends exactly what the View of those DynamicItems sends: the same components in the same rows (5 a
    row, in order), the same custom ids; a press reaches the DynamicItem registered for its id as before.
    It holds no items (`children` is empty), so it is finished: discord.py keeps nothing."""

    def __init__(self, *buttons: dict[str, Any]) -> None:
        super().__init__()
        self.buttons = list(buttons)

    def add(self, *buttons: dict[str, Any]) -> PrebuiltView:
        """More buttons after those there (as `add_item` of their DynamicItems would place them)."""
        self.buttons += buttons
        return self

    def to_components(self) -> list[dict[str, Any]]:
        return [{"type": 1, "components": self.buttons[start:start + 5]} for start in range(0, len(self.buttons), 5)]


def _answered(
    callback: Callable[[Any, discord.Interaction], Coroutine[Any, Any, None]], name: str
) -> Callable[[Any, discord.Interaction], Coroutine[Any, Any, None]]:
    """`callback`, answering privately when it fails unexpectedly: discord.py only logs a DynamicItem's
    exception, so the member who clicked would be left with "This interaction failed" and no code to quote.
    It runs acknowledged in time (`slow.acknowledged_component`): a click whose answer waits (behind another
    process's write lock) past ACK_AFTER is acknowledged first, or Discord's 3 s would pass."""

    @functools.wraps(callback)
    async def answered(self: Any, interaction: discord.Interaction) -> None:
        try:
            await acknowledged_component(interaction, callback(self, interaction))
        except Exception as error:  # noqa: BLE001 - every failure gets a private answer and a logged code
            data: dict[str, Any] = dict(interaction.data or {})
            await answer_error(interaction, error, f"{name} ({data.get('custom_id')})")

    return answered


class Persistent(discord.ui.DynamicItem[ItemT_co], template=_NEVER):
    """A DynamicItem whose custom id is built from, and parsed by, its one template."""

    parse: ClassVar[Mapping[str, Callable[[str], Any]]] = {}

    def __init_subclass__(cls, *, template: str, parse: Mapping[str, Callable[[str], Any]] | None = None) -> None:
        super().__init_subclass__(template=template)
        cls.parse = {**cls.parse, **(parse or {})}
        if "callback" in cls.__dict__:
            cls.callback = _answered(cls.__dict__["callback"], cls.__name__)  # type: ignore[method-assign,assignment]

    @classmethod
    def id_for(cls, *values: object) -> str:
        """The custom id carrying `values` (one per template group, in order); refused if it would not parse."""
        template = cls.__discord_ui_compiled_template__
        custom_id = fill(template.pattern, values)
        if template.fullmatch(custom_id) is None or len(custom_id) > 100:
            raise ValueError(f"{custom_id!r} does not fit {cls.__name__}'s template {template.pattern!r}")
        return custom_id

    @classmethod
    def payload(cls, ids: tuple[object, ...], *rest: object) -> dict[str, Any]:
        """The component dict `cls(*ids, *rest).to_component_dict()` gives, without building the item: the
        dict of the first one built for this `rest` (per class), with the custom id of `ids` (`id_for`). For
        items whose look depends only on `rest` and whose custom id only on `ids` (the constructor's leading
        template values); tests/core/test_persistent.py holds each user to it."""
        shape = _SHAPES.get((cls, rest))
        if shape is None:
            built: Any = cast(Any, cls)(*ids, *rest)  # a subclass's own constructor: its template's values first
            shape = _SHAPES[(cls, rest)] = built.to_component_dict()
        return {**shape, "custom_id": cls.id_for(*ids)}

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        groups = sorted(match.re.groupindex.items(), key=lambda pair: pair[1])
        args = [cls.parse.get(name, int)(match[index]) for name, index in groups if match[index] is not None]
        return cls(*args)


# (class, the non-id arguments) -> one built item's component dict (`Persistent.payload`); a few per class.
_SHAPES: dict[tuple[type, tuple[object, ...]], dict[str, Any]] = {}
