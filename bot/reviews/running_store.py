"""The /review imports running now (migration 152), so a restart in the middle is told to the moderator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.claims import abandoned
from bot.core.db import Database
from bot.core.time import from_iso, iso

TOKEN_LIFETIME = timedelta(minutes=15)  # Discord's: an interaction's reply can be edited this long


@dataclass(frozen=True)
class RunningImport:
    token: str
    application_id: int
    guild_id: int | None
    user_id: int


# Run inside the import's own transaction (ReviewStore.import_reviews): stored and forgotten at once.
FORGET_SQL = "DELETE FROM running_imports WHERE token = ?"


class RunningImportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def begin(self, run: RunningImport, holder: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO running_imports(token, application_id, guild_id, user_id, holder, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO NOTHING",
            (run.token, run.application_id, run.guild_id, run.user_id, holder, iso(now)),
        )

    async def forget(self, token: str) -> bool:
        """Whether the import was still recorded (now it is not)."""
        return (await self.db.execute(FORGET_SQL, (token,))).rowcount > 0

    async def interrupted(self, holder: str, now: datetime) -> list[RunningImport]:
        """The imports whose process is gone, each taken once (deleted: of two processes starting together,
        one tells the moderator); one too old for its reply to be edited is only deleted. Another live
        process's import is left alone (its holder is not `abandoned` within the token's lifetime)."""
        taken = []
        for row in await self.db.fetchall(
            "SELECT token, application_id, guild_id, user_id, holder, started_at FROM running_imports"
        ):
            started = from_iso(row[5])
            if not abandoned(row[4], row[5], now, TOKEN_LIFETIME, holder):
                continue
            if (await self.forget(row[0])) and now - started < TOKEN_LIFETIME:
                taken.append(RunningImport(row[0], row[1], row[2], row[3]))
        return taken

