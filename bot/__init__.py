"""filmbot: a Discord bot for film clubs. `from bot import create_bot, Settings`."""

from __future__ import annotations

from typing import Any

from bot.core.config import Settings

__all__ = ["FilmBot", "Settings", "create_bot"]


def __getattr__(name: str) -> Any:  # lazy: `bot.corpus` stays importable without discord installed
    if name in {"create_bot", "FilmBot"}:
        from bot import client

        return getattr(client, name)
    raise AttributeError(name)
