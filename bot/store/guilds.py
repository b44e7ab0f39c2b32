"""Per-server settings: moderator role, time zone, log channel."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Database


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    moderator_role_id: int | None = None
    timezone: str | None = None
    log_channel_id: int | None = None


_COLUMNS = ("moderator_role_id", "timezone", "log_channel_id")


class GuildStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone(
            "SELECT moderator_role_id, timezone, log_channel_id FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return GuildSettings(guild_id)
        return GuildSettings(guild_id, row[0], row[1], row[2])

    async def update(self, guild_id: int, **values: int | str | None) -> GuildSettings:
        """Set the given columns (None clears one); unknown names are a programming error."""
        unknown = set(values) - set(_COLUMNS)
        if unknown:
            raise KeyError(f"unknown guild setting(s): {sorted(unknown)}")
        async with self.db.transaction() as conn:
            await conn.execute("INSERT OR IGNORE INTO guild_settings(guild_id) VALUES (?)", (guild_id,))
            for column, value in values.items():
                await conn.execute(
                    f"UPDATE guild_settings SET {column} = ? WHERE guild_id = ?", (value, guild_id)
                )
        return await self.get(guild_id)
