"""Work that may outlast Discord's 3 s to answer an interaction: acknowledged first when it runs long.

`in_time(interaction, work)` awaits `work`; if it is not done after ACK_AFTER seconds the interaction
is deferred (the member sees "thinking…"), and `reply` then sends the answer as the follow-up. A fast
command keeps its one direct reply: deferring always would cost every command a second Discord call.

Every slash command runs inside `acknowledged` (bot/core/inputs.FilmTree): a command whose first answer waits
behind a write (another process holding the write lock 1-3 s, inside SQLite's 5 s busy timeout) is deferred
after ACK_AFTER like a vote, privately, or publicly for a command marked `answers_publicly`; its own
`interaction.response.send_message` then goes out as the follow-up (LateResponse), so no command changes.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.core.errors import followup_as, mark_thinking

ACK_AFTER = 1.5  # seconds: Discord wants an answer within 3 s; the defer itself needs a round trip
# A command that answers with a form cannot be deferred: one whose form is not open by FORM_GIVE_UP would open it
# after Discord's 3 s ("This interaction failed"), so it is answered privately then, and its form is not sent.
FORM_GIVE_UP = 2.4
FORM_LATE = ("I could not open the form in time (the bot is busy right now). Nothing was saved: please run the"
             " command again.")
FORM_LATE_BUTTON = ("I could not open the form in time (the bot is busy right now). Nothing was changed: please press"
                    " the button again.")

log = logging.getLogger(__name__)

T = TypeVar("T")
C = TypeVar("C")
LATE_ACK = "filmbot.late_ack"  # app command extras key: "public" (`answers_publicly`)


def answers_publicly(command: C) -> C:
    """Mark a slash command (above its @app_commands.command) whose answer is public: acknowledged late, it
    is deferred publicly, not privately."""
    command.extras[LATE_ACK] = "public"  # type: ignore[attr-defined]
    return command


def expect_form(interaction: discord.Interaction) -> None:
    """The command answers with a form (a modal), which cannot follow a defer: no late acknowledgement now."""
    response = interaction.response
    if isinstance(response, LateResponse):
        response.form = True


class LateResponse(discord.InteractionResponse[discord.Client]):
    """A slash command's (or a component's, a form's) response object: once `late_defer` acknowledged it, the
    command's own send_message is sent as a follow-up (shown as the command asked), a component's edit_message
    edits its message through the original response, and its own defer does nothing."""

    def __init__(self, parent: discord.Interaction[discord.Client], *, component: bool = False) -> None:
        super().__init__(parent)
        self.lock = asyncio.Lock()  # the late defer and the command's own answer never both go out first
        self.late = False
        self.form = False  # `expect_form`: the answer is a modal, never deferred
        # A component or form submission (`acknowledged_component`): acknowledged late by a deferred update
        # unless its own `in_time` asked otherwise (`wanted`: ephemeral, update), e.g. a vote's private thinking.
        self.component = component
        self.wanted: tuple[bool, bool] | None = None
        self.timed = False  # its `in_time` wait is set

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> Any:
        async with self.lock:
            if self.late:
                return None
            done = await super().defer(ephemeral=ephemeral, thinking=thinking)
            if thinking:
                mark_thinking(self._parent, ephemeral)
            return done

    async def send_modal(self, modal: discord.ui.Modal, /) -> Any:
        async with self.lock:
            if not self.late:
                return await super().send_modal(modal)
        modal.stop()  # too late for a form: the member was told to run the command again (`give_up_form`)
        return None

    async def send_message(self, content: Any = None, *, ephemeral: bool = False, delete_after: float | None = None,
                           **kwargs: Any) -> Any:
        async with self.lock:
            if not self.late:
                try:
                    return await super().send_message(content, ephemeral=ephemeral, delete_after=delete_after,
                                                      **kwargs)
                except discord.HTTPException as error:
                    self._made_anyway(error)
        if content is not None:
            kwargs["content"] = content
        return await followup_as(self._parent, ephemeral=ephemeral, **kwargs)

    async def edit_message(self, **kwargs: Any) -> Any:
        async with self.lock:
            if not self.late:
                try:
                    return await super().edit_message(**kwargs)
                except discord.HTTPException as error:
                    self._made_anyway(error)
        # Acknowledged late by a deferred update: the component's message is the original response.
        for unsupported in ("delete_after", "suppress_embeds"):
            kwargs.pop(unsupported, None)
        return await self._parent.edit_original_response(**kwargs)

    def _made_anyway(self, error: discord.HTTPException) -> None:
        """A first answer Discord refused as already acknowledged (40060): a late deferred update it made and then
        answered with a 5xx (it cannot be told apart from one not made when it fails). It counts as made: the
        answer goes as after a defer. Any other failure is raised."""
        if error.code != 40060 or not self.component:
            raise error
        self._response_type = discord.InteractionResponseType.deferred_message_update
        self.late = True


async def late_defer(interaction: discord.Interaction, ephemeral: bool, *, update: bool = False) -> None:
    """Acknowledge with "thinking…" (or, `update`, a deferred update of a component's message: nothing shown)
    unless the interaction was answered meanwhile."""
    response = interaction.response
    if isinstance(response, LateResponse):
        async with response.lock:
            if response.is_done() or response.form:
                return
            if update:
                await discord.InteractionResponse.defer(response)
            else:
                await _thinking(interaction, response, ephemeral)
            response.late = True
        return
    if not response.is_done():
        if update:
            await response.defer()
        else:
            await _thinking(interaction, response, ephemeral)


async def _thinking(interaction: discord.Interaction, response: discord.InteractionResponse[Any],
                    ephemeral: bool) -> None:
    """The "thinking…" defer; one Discord made and then answered with a 5xx counts as made (the answer then
    goes as its follow-up: a second first answer would be refused, already acknowledged); its visibility is
    recorded (`mark_thinking`)."""
    try:
        await discord.InteractionResponse.defer(response, ephemeral=ephemeral, thinking=True)
    except discord.DiscordServerError:
        if not await _deferred_anyway(interaction):
            raise
        response._response_type = discord.InteractionResponseType.deferred_channel_message
    mark_thinking(interaction, ephemeral)


async def _deferred_anyway(interaction: discord.Interaction) -> bool:
    """After a defer that failed with a 5xx: whether Discord made it all the same (the "thinking…" message
    exists). A 4xx was refused: nothing was made."""
    try:
        await interaction.original_response()
    except discord.HTTPException:
        return False
    return True


def _form_pending(interaction: discord.Interaction) -> bool:
    response = interaction.response
    return isinstance(response, LateResponse) and response.form and not response.is_done()


async def give_up_form(interaction: discord.Interaction) -> None:
    """A form command that did not open its form by FORM_GIVE_UP: answer privately now (a form after Discord's 3 s
    fails); its form, if it comes, is not sent (LateResponse.send_modal)."""
    response = interaction.response
    if not isinstance(response, LateResponse):
        return
    async with response.lock:
        if response.is_done():
            return
        late = FORM_LATE_BUTTON if interaction.type is discord.InteractionType.component else FORM_LATE
        await discord.InteractionResponse.send_message(response, late, ephemeral=True,
                                                       allowed_mentions=discord.AllowedMentions.none())
        response.late = True


async def acknowledged(interaction: discord.Interaction, work: Awaitable[None]) -> None:
    """Run a slash command (`work`), acknowledged after ACK_AFTER if it has not answered by then."""
    command = interaction.command
    how = command.extras.get(LATE_ACK) if command is not None else None
    setattr(interaction, "_cs_response", LateResponse(interaction))  # noqa: B010 (a cached slot of discord.py)
    await in_time(interaction, work, ephemeral=how != "public")


async def acknowledged_component(interaction: discord.Interaction, work: Awaitable[None]) -> None:
    """Run a button's, a select menu's or a form submission's handler (`work`), acknowledged after ACK_AFTER if
    it has not answered by then: by a deferred update (nothing shown; its send_message then goes out as a
    follow-up shown as it asked, its edit_message edits its message), a form submitted from a slash command by a
    private "thinking…", or as its own `in_time` inside asks."""
    if isinstance(interaction.response, LateResponse):  # already timed (a handler calling another's)
        await work
        return
    setattr(interaction, "_cs_response", LateResponse(interaction, component=True))  # noqa: B010 (as above)
    await in_time(interaction, work)


class _Alarms:
    """One daemon thread for every pending ACK_AFTER wait, in real time (heap of deadlines).

    A `threading.Timer` per interaction started a thread per command (~20 µs of the loop thread's CPU, ~190 µs
    wall, and the new thread's own start); every slash command now waits this way, so they share one thread."""

    # perf_counter, not monotonic: simcord replaces time.monotonic with its virtual clock, and this wait is real.
    def __init__(self) -> None:
        self._due: list[tuple[float, int, list[Any]]] = []
        self._wake = threading.Condition()
        self._count = 0
        self._thread: threading.Thread | None = None

    def add(self, delay: float, callback: Callable[[], None]) -> list[Any]:
        """Call `callback` (on this thread) after `delay` real seconds; the returned entry's [0] = None cancels."""
        entry: list[Any] = [callback]
        with self._wake:
            self._count += 1
            heapq.heappush(self._due, (time.perf_counter() + delay, self._count, entry))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="filmbot-ack-alarms", daemon=True)
                self._thread.start()
            elif self._due[0][2] is entry:
                self._wake.notify()
        return entry

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due and self._due[0][2][0] is None:
                    heapq.heappop(self._due)  # cancelled
                if not self._due:
                    self._wake.wait()
                    continue
                wait = self._due[0][0] - time.perf_counter()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                callback = heapq.heappop(self._due)[2][0]
            if callback is not None:
                callback()


_ALARMS = _Alarms()


async def in_time(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = False,
                  update: bool = False) -> T:
    """`work`'s result; the interaction is deferred first if `work` takes more than ACK_AFTER seconds.

    `update`: a button that edits its own message acknowledges without a "thinking…" message (the edit
    then goes through `interaction.edit_original_response`).

    The ACK_AFTER wait is timed by a thread, in real time: Discord's 3 s are wall-clock seconds, and a
    loop timer would not fire under simcord, whose virtual clock stands still while the bot waits on a
    worker process. `work` runs in the caller's task (no task or wait set per command); the defer, when due,
    runs in its own task, and `in_time` returns only once it is done, so the caller's answer sees it. A command
    that answers with a form (`expect_form`) is not deferred: at FORM_GIVE_UP it is answered privately instead.
    """
    response = interaction.response
    if isinstance(response, LateResponse) and response.component:
        if response.timed:  # inside `acknowledged_component`, whose one wait acknowledges as this asks
            if response.wanted is None:
                response.wanted = (ephemeral, update)
            return await work
        response.timed = True
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()  # the defer's task runs in the command's context, as the command does
    deferring: list[asyncio.Task[None]] = []
    alarms: list[list[Any]] = []
    ended = [False]

    def form_due() -> None:  # on the loop at FORM_GIVE_UP: a form that is still not open cannot come in time
        if not ended[0] and not interaction.response.is_done():
            deferring.append(loop.create_task(_acknowledge(interaction, give_up_form(interaction))))

    def ack_due() -> None:  # on the loop at ACK_AFTER; a wake-up queued as `work` ended finds it ended
        if ended[0] or interaction.response.is_done():
            return
        if _form_pending(interaction):  # no defer before a form: wait for FORM_GIVE_UP
            alarms.append(_ALARMS.add(FORM_GIVE_UP - ACK_AFTER, lambda: wake(form_due)))
            return
        deferring.append(loop.create_task(_acknowledge(interaction, _defer(interaction, ephemeral, update))))

    def wake(call: Callable[[], None]) -> None:  # on the alarm thread
        try:
            loop.call_soon_threadsafe(call, context=context)
        except RuntimeError:  # the loop closed meanwhile (the bot shut down): nobody is waiting
            pass

    alarms.append(_ALARMS.add(ACK_AFTER, lambda: wake(ack_due)))
    try:
        result = await work
    except BaseException:
        ended[0] = True
        for alarm in alarms:
            alarm[0] = None
        # The error's private answer must see the defer that is going out: let it finish (its own failure
        # is not this error's).
        await asyncio.gather(*deferring, return_exceptions=True)
        raise
    ended[0] = True
    for alarm in alarms:
        alarm[0] = None
    for task in deferring:
        await task
    return result


async def _acknowledge(interaction: discord.Interaction, acknowledging: Awaitable[None]) -> None:
    """A late acknowledgement Discord refused or failed (5xx, 404 Unknown Interaction) is logged: the command's
    work goes on, and answers as it can (its own errors are answered and logged)."""
    try:
        await acknowledging
    except discord.HTTPException:
        log.warning("could not acknowledge interaction %s late", interaction.id, exc_info=True)


async def _defer(interaction: discord.Interaction, ephemeral: bool, update: bool) -> None:
    response = interaction.response
    if isinstance(response, LateResponse) and response.component:
        # A deferred update needs a message to update: a form opened by a slash command has none, so it thinks
        # privately (its answers are private; a public one still goes out as its own follow-up, followup_as).
        ephemeral, update = response.wanted or (True, interaction.message is not None)
    await late_defer(interaction, ephemeral, update=update)


async def reply(interaction: discord.Interaction, **kwargs: Any) -> None:
    """The answer: the direct reply, or the follow-up when `in_time` deferred."""
    if interaction.response.is_done():
        await followup_as(interaction, **{"ephemeral": False, **kwargs})
    else:
        await interaction.response.send_message(**kwargs)
