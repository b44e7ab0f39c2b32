"""Which servers' timed work this process runs: the shards it serves (FILMBOT_SHARDS, FILMBOT_SHARD_IDS).

A server belongs to shard `(guild_id >> 22) % shard_count` (Discord's rule). Every job's due-row query
appends `owned(shards)`'s clause, so a process of a cluster wakes for, claims and posts only its own
servers' rows; the claims themselves stay exact in the database whatever the filter says (two processes
given overlapping shard ids still post once). Pure: no discord, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

# guild_id >> 22 written as a division: the same integer result in SQLite and PostgreSQL for the
# non-negative ids Discord hands out.
_SHIFT = 4194304  # 2 ** 22


@dataclass(frozen=True)
class Shards:
    """This process's share: `ids` of `count` shards. Owning every shard is spelled None, not a Shards."""

    count: int
    ids: tuple[int, ...]

    def owns(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.count in self.ids


def scope(count: int | None, ids: tuple[int, ...] | None) -> Shards | None:
    """The share given by the settings; None when this process serves every shard (one process, or all ids)."""
    if count is None or ids is None or set(ids) >= set(range(count)):
        return None
    return Shards(count, tuple(sorted(set(ids))))


def owned(shards: Shards | None, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
    """An SQL condition (portable: `/`, `%`, `IN`, `?`) true for the rows of this process's servers.

    `column` is a trusted column name written by the caller (e.g. "p.guild_id"), never user input.
    """
    if shards is None:
        return "1 = 1", ()
    marks = ", ".join("?" * len(shards.ids))
    return f"({column} / {_SHIFT}) % ? IN ({marks})", (shards.count, *shards.ids)


def owns(shards: Shards | None, guild_id: int) -> bool:
    return shards is None or shards.owns(guild_id)
