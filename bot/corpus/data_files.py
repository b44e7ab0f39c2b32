"""Reading the data files an operator points filmbot at (themes.toml, manifest.toml): a regular file of bounded
size, or one line saying why not, before a byte is read.

`Path.read_text` on a pipe waits forever for a writer, on /dev/zero reads until memory runs out, and on a
2 GB file reads 2 GB: `filmbot preview --themes /dev/zero` hung, as would the bot on a data folder whose
themes.toml is one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SETTINGS_FILE_MAX = 16 * 1024 * 1024  # bytes: data/themes.toml is ~120 KB, the manifest ~1 KB


class NotAFile(ValueError):
    """The path names no regular file of a sensible size: the message is one line, safe to print."""


def read_bounded(path: Path | str, limit: int = SETTINGS_FILE_MAX) -> bytes:
    """The file's bytes; NotAFile when it is a folder, a pipe, a device or over `limit` bytes (a missing file
    raises FileNotFoundError, as open() does)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise NotAFile(f"is {kind}, not a file")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)  # the size may change after stat(): never read more
    if len(data) > limit:
        raise NotAFile(f"is larger than {limit // (1024 * 1024)} MB: not a settings file")
    return data
