"""One frozen settings object, built once from the environment or from keywords in tests."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / "data"


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TMDB_BASE_URL = "https://api.themoviedb.org/3"
WIKIDATA_BASE_URL = "https://www.wikidata.org"
_SWITCH = {"on": True, "true": True, "1": True, "yes": True, "off": False, "false": False, "0": False, "no": False}
MAX_SHARD_ID = 65535  # far past any bot's shard count; bounds a typed range like 0-99999999
MAX_CATCHUP_GRACE_HOURS = 168.0  # a week: a prompt later than that is no longer the scheduled one


def _database(env: Mapping[str, str]) -> tuple[Path, str | None]:
    """FILMBOT_DATABASE: a file path (SQLite, the default), or a postgresql:// URL (the file then unused)."""
    value = (env.get("FILMBOT_DATABASE") or "").strip()
    if value.startswith(("postgresql://", "postgres://")):
        return DEFAULT_DATA_DIR / "filmbot.db", value
    return (Path(value) if value else DEFAULT_DATA_DIR / "filmbot.db"), None


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says what to set and where."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    database: Path = DEFAULT_DATA_DIR / "filmbot.db"
    # FILMBOT_DATABASE=postgresql://… runs every store on PostgreSQL (bot/core/db_pg.py); kept out of
    # repr (it may hold a password). None: the SQLite file `database`.
    database_url: str | None = field(default=None, repr=False)
    data_dir: Path = DEFAULT_DATA_DIR
    dev_guild_id: int | None = None
    default_timezone: str = "UTC"
    catchup_grace_hours: float = 6.0
    log_level: str = "INFO"
    # None: one shard (a plain commands.Bot). A number of shards, or "auto" to ask Discord.
    shards: str | None = None
    # The shard ids this process serves (FILMBOT_SHARD_IDS, e.g. "0,1" or "0-3"); None: all of them. Needs a
    # number of shards: each process of a cluster runs the timed jobs of its own shards' servers only.
    shard_ids: tuple[int, ...] | None = None
    # Commands are synced when their signature changes; tests and the playground keep this on.
    auto_sync: bool = True
    # Film metadata (posters, runtime, director…): TMDB with a key, else Wikidata. Off unless asked for
    # here, so tests and scripts never reach the internet; from_env turns it on unless FILMBOT_METADATA=off.
    metadata: bool = False
    tmdb_api_key: str | None = field(default=None, repr=False)
    tmdb_base_url: str = TMDB_BASE_URL
    wikidata_base_url: str = WIKIDATA_BASE_URL
    metadata_contact: str | None = None  # put in the User-Agent: a URL or e-mail where you can be reached
    # host:port pairs `/review add-link` may fetch from despite the address rules (tests, intranets).
    # Only from the environment: never changeable from Discord.
    fetch_allow: tuple[str, ...] = ()
    fetch_timeout: float = 15.0  # seconds for one whole page fetch, redirects included
    # Freeze the start-up heap out of the cyclic GC once the bot is set up (bot/core/heap.py): off unless asked,
    # so a process making many bots (tests) never pins a dropped one; `filmbot run` turns it on unless
    # FILMBOT_GC_FREEZE=off.
    freeze_heap: bool = False

    def __post_init__(self) -> None:
        # Accept str paths from callers and keep the object frozen; a PostgreSQL URL given as the
        # database is the URL, not a file name.
        if isinstance(self.database, str) and self.database.startswith(("postgresql://", "postgres://")):
            object.__setattr__(self, "database_url", self.database)
            object.__setattr__(self, "database", DEFAULT_DATA_DIR / "filmbot.db")
        object.__setattr__(self, "database", Path(self.database))
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        shards = (self.shards or "").strip().lower() or None
        object.__setattr__(self, "shards", shards)
        if shards is not None and shards != "auto" and not (_digits(shards) and int(shards) >= 1):
            raise ConfigError(f"FILMBOT_SHARDS={self.shards!r} must be a number of shards (1 or more) or auto")
        if self.shard_ids is not None:
            object.__setattr__(self, "shard_ids", tuple(sorted(set(self.shard_ids))))
            if shards is None or not _digits(shards):
                raise ConfigError("FILMBOT_SHARD_IDS needs FILMBOT_SHARDS set to the total number of shards (not auto)")
            bad = [i for i in self.shard_ids if not 0 <= i < int(shards)]
            if bad or not self.shard_ids:
                raise ConfigError(
                    f"FILMBOT_SHARD_IDS {bad or 'is empty'}: each id must be from 0 to {int(shards) - 1}"
                    f" (FILMBOT_SHARDS={shards})"
                )
        if self.log_level not in LOG_LEVELS:
            raise ConfigError(f"FILMBOT_LOG_LEVEL={self.log_level!r} must be one of {', '.join(LOG_LEVELS)}")
        # `not (0 <= x <= max)` also refuses nan, which compares false with everything.
        if not 0 <= self.catchup_grace_hours <= MAX_CATCHUP_GRACE_HOURS:
            raise ConfigError(
                f"FILMBOT_CATCHUP_GRACE_HOURS={self.catchup_grace_hours:g} must be a number of hours"
                f" from 0 to {MAX_CATCHUP_GRACE_HOURS:g}"
            )
        for name, url in (("FILMBOT_TMDB_URL", self.tmdb_base_url), ("FILMBOT_WIKIDATA_URL", self.wikidata_base_url)):
            if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
                raise ConfigError(f"{name}={url!r} must be an http(s) URL, e.g. {TMDB_BASE_URL}")
        object.__setattr__(self, "fetch_allow", tuple(self.fetch_allow))
        for entry in self.fetch_allow:
            host, sep, port = entry.rpartition(":")
            if not sep or not host or not _digits(port) or not 0 < int(port) < 65536:
                raise ConfigError(f"FILMBOT_FETCH_ALLOW entry {entry!r} must be host:port, e.g. 127.0.0.1:8080")
        if not 0 < self.fetch_timeout <= 60:
            raise ConfigError(f"fetch_timeout={self.fetch_timeout:g} must be from 0 to 60 seconds")
        try:
            ZoneInfo(self.default_timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a region's folder (America)
            raise ConfigError(
                f"FILMBOT_DEFAULT_TIMEZONE={self.default_timezone!r} is not an IANA zone (e.g. Europe/Paris)"
            ) from exc

    @property
    def themes_file(self) -> Path:
        return self.data_dir / "themes.toml"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, *, one_bot_process: bool = False) -> Settings:
        """Build settings from environment variables (the CLI loads `.env` first). `one_bot_process`: the
        process runs this one bot for its life (`filmbot run`), so its start-up heap is frozen by default."""
        env = os.environ if environ is None else environ
        return cls(
            token=(env.get("DISCORD_TOKEN") or "").strip() or None,
            database=_database(env)[0],
            database_url=_database(env)[1],
            data_dir=Path(env.get("FILMBOT_DATA_DIR") or DEFAULT_DATA_DIR),
            dev_guild_id=_optional_int(env, "FILMBOT_DEV_GUILD_ID"),
            default_timezone=env.get("FILMBOT_DEFAULT_TIMEZONE") or "UTC",
            catchup_grace_hours=_float(env, "FILMBOT_CATCHUP_GRACE_HOURS", 6.0),
            log_level=(env.get("FILMBOT_LOG_LEVEL") or "INFO").upper(),
            shards=env.get("FILMBOT_SHARDS") or None,
            shard_ids=parse_shard_ids(env.get("FILMBOT_SHARD_IDS") or ""),
            metadata=_switch(env, "FILMBOT_METADATA", True),
            freeze_heap=_switch(env, "FILMBOT_GC_FREEZE", one_bot_process),
            tmdb_api_key=(env.get("TMDB_API_KEY") or "").strip() or None,
            tmdb_base_url=(env.get("FILMBOT_TMDB_URL") or "").strip() or TMDB_BASE_URL,
            wikidata_base_url=(env.get("FILMBOT_WIKIDATA_URL") or "").strip() or WIKIDATA_BASE_URL,
            metadata_contact="".join(c for c in env.get("FILMBOT_CONTACT") or "" if c.isprintable()).strip()[:200]
            or None,
            fetch_allow=tuple(e for e in (env.get("FILMBOT_FETCH_ALLOW") or "").replace(",", " ").split() if e),
        )

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env "
                "(copy .env.example) or export it in your shell."
            )
        if not (self.token.isascii() and self.token.replace(".", "").replace("-", "").replace("_", "").isalnum()):
            raise ConfigError(  # a token is base64url parts joined by dots: a pasted quote or space is no token
                "DISCORD_TOKEN holds characters a bot token never has (spaces, quotes or other marks): copy the"
                " token again from the developer portal (your app → Bot → Reset Token) into .env."
            )
        return self.token


def parse_shard_ids(raw: str) -> tuple[int, ...] | None:
    """'0,1', '0-3', '0, 2-3' → the ids; empty → None (every shard of FILMBOT_SHARDS)."""
    raw = raw.strip()
    if not raw:
        return None
    ids: set[int] = set()
    for part in raw.replace(" ", "").split(","):
        low, dash, high = part.partition("-")
        if not _digits(low) or (dash and not _digits(high)) or len(part) > 11 \
                or int(high if dash else low) > MAX_SHARD_ID or (dash and int(high) < int(low)):
            raise ConfigError(f"FILMBOT_SHARD_IDS={raw!r} must be shard ids and ranges, e.g. 0,1 or 0-3")
        ids.update(range(int(low), int(high if dash else low) + 1))
    return tuple(sorted(ids))


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes superscripts like '²', which int() refuses (a traceback)."""
    return text.isascii() and text.isdigit()


def _optional_int(env: os._Environ[str] | dict[str, str], name: str) -> int | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    if not _digits(raw) or not 0 < int(raw) < 1 << 64:  # a snowflake: 64 bits, never 0
        raise ConfigError(f"{name}={raw!r} must be a numeric Discord id")
    return int(raw)


def _float(env: os._Environ[str] | dict[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} must be a number") from exc


def _switch(env: os._Environ[str] | dict[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().casefold()
    if not raw:
        return default
    if raw not in _SWITCH:
        raise ConfigError(f"{name}={raw!r} must be on or off")
    return _SWITCH[raw]
