"""What one feature asks of another: the small interfaces the composition root wires onto the bot.

A feature never imports another feature. When it needs another's behaviour it calls the service the bot
holds, typed by a Protocol here and implemented by the owning feature's service (bot/client.py builds each
one and hangs it on the bot), or it listens to an event the other dispatches (`prompt_posted`).

- `bot.flags` (`PassageFlags`, flags.service.FlagService): the Flag buttons under /quote and prompts.
- `bot.prompts` (`Prompts`, discussion.service.PromptService): a prompt, for film night and schedules.
- `bot.club` (`ClubRatings`, club.service.ClubService): critics vs club in poll results; the invitation
  to rate after a screening.
- `bot.now_showing` (`NowShowing`, film night's service, also `bot.filmnight`): the current film, the
  default of the club's commands and of schedules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

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
    """A discussion prompt as posted (`Prompts.post`, /discuss, /debate; the `prompt_posted` event)."""

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


class ClubRatings(Protocol):
    """The club feature (/rate, /ratings): its invitation to rate a film, and critics vs club on a poll."""

    def rating_invite(self, film_label: str) -> str:
        """The invitation to rate a film just screened (one line, inert)."""
        ...

    async def critics_vs_club_fields(self, poll: ThemePoll, counts: tuple[int, ...]) -> list[tuple[str, str]]:
        """Embed fields for a closed theme poll's results (empty when there is nothing to compare); never raises."""
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
