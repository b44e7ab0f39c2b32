"""What one feature asks of another: the small interfaces the composition root wires onto the bot.

A feature never imports another feature. When it needs another's behaviour it calls the service the bot
holds, typed by a Protocol here and implemented by the owning feature's service (bot/client.py builds each
one and hangs it on the bot).

- `bot.flags` (`PassageFlags`, flags.service.FlagService): the Flag buttons under /quote and prompts.
- `bot.prompts` (`Prompts`, discussion.service.PromptService): a prompt, for film night and schedules.
- `bot.club` (`ClubRatings`, club.service.ClubService): critics vs club in poll results; the invitation
  to rate after a screening; a prompt thread's digest (`thread_digest`), written with the prompt's record.
- `bot.now_showing` (`NowShowing`, film night's service, also `bot.filmnight`): the current film, the
  default of the club's commands and of schedules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import discord

if TYPE_CHECKING:
    from bot.corpus.lookup import FilmScope


class PassageFlags(Protocol):
    """The flags feature: the 🚩 Flag buttons under every public message that shows passages."""

    def flag_view(self, passage_ids: Sequence[int], view: discord.ui.View | None = None) -> discord.ui.View:
        """Flag buttons for these passages, added to `view` (or a new persistent view), which is returned."""
        ...


@dataclass(frozen=True)
class PostedPrompt:
    """A discussion prompt as posted (`Prompts.post`, /discuss, /debate)."""

    message: discord.Message
    thread: discord.Thread | None
    theme_key: str
    passage_ids: tuple[int, ...]
    cycle_restarted: bool
    # Set when the thread could not be opened and the message could not be taken back either: the
    # prompt is visible (and recorded), without its thread.
    thread_error: str | None = None


class Prompts(Protocol):
    """The discussion feature: post a prompt (excerpts by the server's rotation, a question, its thread)."""

    async def post(
        self,
        channel: discord.TextChannel,
        *,
        guild_id: int,
        theme: str | None = None,
        film: str | None = None,
        make_thread: bool = True,
        mention_role_id: int | None = None,
        source: str = "command",
        exclude_spoilers: bool = False,
        marker: str | None = None,
    ) -> PostedPrompt:
        """Post one prompt in `channel` exactly as /discuss does (discussion.post.post_prompt says how)."""
        ...

    async def complete(self, message: discord.Message, source: str) -> bool:
        """A timed prompt (posted with a marker) found in its channel but never recorded: open its thread if it
        lacks one and record its rotation, once (discussion.post.complete_prompt). False: nothing to complete."""
        ...


class ThemePoll(Protocol):
    """What the club reads of a closed poll (polls.rules.Poll) to set the critics' split beside the club's."""

    @property
    def id(self) -> int: ...
    @property
    def theme(self) -> str | None: ...
    @property
    def film_id(self) -> int | None: ...
    @property
    def options(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ThreadDigest:
    """A prompt thread's digest (the club's, bot/club): `write` inserts its row on a connection inside the
    caller's transaction (once per thread: a second write of the same thread changes nothing); the job loop
    is woken for `due` once that transaction committed (`bot.scheduler.wake(due)`)."""

    write: Callable[[Any], None]
    due: datetime


class ClubRatings(Protocol):
    """The club feature (/rate, /ratings): its invitation to rate a film, and critics vs club on a poll."""

    def rating_invite(self, film_label: str) -> str:
        """The invitation to rate a film just screened (one line, inert)."""
        ...

    async def critics_vs_club_fields(self, poll: ThemePoll, counts: tuple[int, ...]) -> list[tuple[str, str]]:
        """Embed fields for a closed theme poll's results (empty when there is nothing to compare); never raises."""
        ...

    async def thread_digest(self, guild_id: int, message_id: int, thread_id: int,
                            passage_id: int | None) -> ThreadDigest | None:
        """A prompt's thread opened: its digest, due after the server's hours, as a write for the prompt's own
        record transaction; None when the server's digests are off."""
        ...

    async def add_thread_digest(self, digest: ThreadDigest) -> None:
        """The digest's write alone, for a prompt that records nothing (no excerpt); wakes the job loop."""
        ...


class NowShowing(Protocol):
    """Film night: the server's current film (its upcoming, else last ended, screening), the film commands
    and schedules default to, and whether that film's spoiler themes are held back."""

    async def current_film(self, guild_id: int) -> FilmScope | None:
        """The current film's scope, None when the server has no screening."""
        ...

    async def film_or_current(self, guild_id: int | None, film: str | None) -> tuple[str | None, bool]:
        """(the film typed, else the current film's `film:<id>`; True when its spoiler themes are held back)."""
        ...
