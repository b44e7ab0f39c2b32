"""Prev / Next for a paged message: the one paginator every paged reply uses.

A page button's custom id carries what it pages (a server, a member, a saved query) and the page it
goes to; the page itself is read fresh from SQLite on every press, so buttons outlive a restart.
`prev_next` is the arithmetic every pager shares (Prev to `max(0, page - 1)`, Next to `page + 1`, each
disabled at its end); `PageButton` is the button for ids shaped `…:(?P<key>…):(?P<page>…):(?P<dir>[pn])`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import discord

from bot.core.persistent import Persistent, persistent_view

ItemT = TypeVar("ItemT", bound="discord.ui.Item[Any]")


def prev_next(make: Callable[[int, str, bool], ItemT], page: int, pages: int) -> tuple[ItemT, ItemT]:
    """The Prev and Next items of page `page` (0-based) of `pages`: `make(target page, "p"|"n", disabled)`."""
    return make(max(0, page - 1), "p", page <= 0), make(page + 1, "n", page + 1 >= pages)


class PageButton(Persistent[discord.ui.Button[discord.ui.View]], template=r"(?!)", parse={"dir": str}):
    """Previous / next page of something keyed by one id; subclasses give the template and `show`."""

    LABELS: ClassVar[tuple[str, str]] = ("◀ Previous", "Next ▶")

    def __init__(self, key: int, page: int, direction: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[direction == "n"],
                style=discord.ButtonStyle.secondary,
                custom_id=self.id_for(key, page, direction),
                disabled=disabled,
            )
        )
        self.key, self.page = key, page

    @classmethod
    def pager(cls, key: int, page: int, pages: int) -> discord.ui.View:
        """A persistent view holding the Prev and Next buttons of page `page` of `pages`."""
        return persistent_view(*prev_next(lambda target, way, disabled: cls(key, target, way, disabled), page, pages))
