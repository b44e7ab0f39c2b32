"""Film night's people, pure: who a reminder mentions (within one message), watch dates, history pages.

No discord, no store.
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.refusals import UserError
from bot.core.text import inert

MENTION_MODES = ("interested", "role", "off")
MESSAGE_MAX = 2000  # Discord's limit for a message's content
MENTION_USERS_MAX = 100  # Discord's limit for allowed_mentions.users
HISTORY_PAGE = 15
SPOILER_PASSAGES = 5
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def check_mode(value: str) -> str:
    mode = (value or "").strip().casefold()
    if mode not in MENTION_MODES:
        raise UserError("The mode is `interested` (who pressed Interested), `role` (the reminder role) or `off`.")
    return mode


def fit_mentions(text: str, user_ids: list[int], *, limit: int = MESSAGE_MAX,
                 max_users: int = MENTION_USERS_MAX) -> tuple[str, list[int]]:
    """The reminder followed by as many mentions as one message allows, then "and N more".

    Returns (content, the ids mentioned): the caller allows exactly those ids to be pinged."""
    if not user_ids:
        return text, []
    shown: list[int] = []
    for index, user_id in enumerate(user_ids):
        if len(shown) >= max_users:
            break
        rest = len(user_ids) - index - 1
        tail = f" and {rest} more" if rest else ""
        candidate = text + "\n" + " ".join(f"<@{u}>" for u in [*shown, user_id]) + tail
        if len(candidate) > limit:
            break
        shown.append(user_id)
    more = len(user_ids) - len(shown)
    line = " ".join(f"<@{u}>" for u in shown) + (f" and {more} more" if more else "")
    if not shown:
        line = f"{more} members are interested."
    return text + "\n" + line, shown


def parse_watch_date(value: str | None, today: date) -> date:
    """YYYY-MM-DD, not in the future and not before the first films (1870); none given → today."""
    if value is None or not value.strip():
        return today
    match = _DATE.match(value)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        day = None
    if day is None:
        raise UserError(f"“{inert(value, 20)}” is not a date: use YYYY-MM-DD, e.g. {today.isoformat()}.")
    if day > today:
        raise UserError("That date is in the future: record a film once you have watched it.")
    if day.year < 1870:
        raise UserError("That date is before the first films were made.")
    return day


def history_pages(total: int) -> int:
    return max(1, -(-total // HISTORY_PAGE))
