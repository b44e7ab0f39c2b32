"""What a member's suggested discussion question may be: pure checks, no discord, no store."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.refusals import UserError
from bot.core.spoilers import has_spoiler_bars
from bot.core.text import PING, without_invisibles

QUESTION_MIN = 10
QUESTION_MAX = 300  # what a prompt shows of a question (discussion/render.QUESTION_MAX)
SUGGEST_EVERY_S = 3600  # one suggestion per member per hour, whatever became of the last one
ANY_THEME = "*"  # theme_questions.theme of an approved question offered under every non-spoiler theme

# A question is shown to the whole server: it may carry no ping (core.text.PING) and no link of any kind.
_LINK = re.compile(r"\b(?:https?://|www\.|discord\.gg/|discord(?:app)?\.com/invite)|\]\(", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Suggestion:
    id: int
    guild_id: int
    user_id: int
    question: str
    theme: str | None  # None: any theme without spoilers
    film_id: int | None
    credit: bool
    state: str  # pending | approved | rejected
    log_channel_id: int | None
    log_message_id: int | None


def clean_question(text: str) -> str:
    """The question on one line, or a UserError saying what to change (nothing is stored on a refusal)."""
    question = " ".join(_CONTROL.sub(" ", without_invisibles(text or "")).split())
    if len(question) < QUESTION_MIN:
        raise UserError(f"A question needs at least {QUESTION_MIN} characters.")
    if len(question) > QUESTION_MAX:
        raise UserError(f"A question can be at most {QUESTION_MAX} characters (this one has {len(question):,}).")
    if PING.search(question):
        raise UserError("A suggested question can't mention members, roles, channels, @everyone or @here.")
    if _LINK.search(question):
        raise UserError("A suggested question can't contain links.")
    if has_spoiler_bars(question):  # shown in thread names and prompts' bold, which cannot hide a part of it
        raise UserError(
            "A suggested question can't hide words behind `||` spoiler bars: thread names show them in clear."
            " Leave the spoiler out, or pick a spoiler theme (e.g. `ending`): its questions are always hidden."
        )
    return question
