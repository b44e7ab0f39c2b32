"""Who holds a claim, and when a claim's holder is gone for sure.

A claim (a reminder about to be sent, say) is written with its time and its holder, `host:pid:nonce`: the
machine, the process and this bot object (a new one at every start, also a restart inside one process).
It is abandoned — safe for another pass to check and settle — when:

- its holder ran on this machine and is gone: the same process with another nonce (the bot restarted
  in-process), or a process id that no longer exists (SIGKILL, a crash): recovered at once;
- or, whoever held it, its lease ran out (a process on another machine cannot be asked): a live holder
  settles its claims within seconds, so the lease only ever delays the recovery of a dead one's;
- or it has no holder (a claim written before holders were recorded).

A reused process id reads as alive: recovery then waits for the lease, never the reverse.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

from bot.core.time import from_iso


def new_holder() -> str:
    """This process and this bot object, as written into claims."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: alive
    return True


def abandoned(holder: str | None, claimed_at: str | None, now: datetime, lease: timedelta, me: str) -> bool:
    """True when the claim's holder is certainly gone or its lease ended (see the module docstring)."""
    if holder is None or claimed_at is None:
        return True
    if now - from_iso(claimed_at) >= lease:
        return True
    host, _, rest = holder.partition(":")
    pid, _, nonce = rest.partition(":")
    my_host, _, my_rest = me.partition(":")
    my_pid, _, my_nonce = my_rest.partition(":")
    if host != my_host or not pid.isdigit():
        return False
    if pid == my_pid:
        return nonce != my_nonce  # an earlier bot object of this process: gone
    return not _pid_alive(int(pid))
