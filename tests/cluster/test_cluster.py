"""Issue 31: two bot processes on one database, each serving its own shards (FILMBOT_SHARD_IDS).

Real OS processes (tests/cluster/child.py), each with its own simulated Discord holding the same 100 servers,
over one database: a SQLite file in WAL mode, or a new PostgreSQL database with FILMBOT_TEST_DATABASE=postgresql
as the rest of the suite (or CLUSTER_DATABASE: a path or a postgresql:// URL of a new, empty database). The
checks read what the children print, and one query of the slot rows (measured: 34 s on SQLite, 54 s on a
local PostgreSQL 15). 100 servers' schedules
fall due in the same minute. Asserted: each is posted exactly once in total (the sum of both processes'
posts per server), with disjoint shard ids and with both processes claiming every server; and when one
process is killed mid-run (SIGKILL while posting, its claims left behind) the other does not take its
servers over, and its restart posts each of its missing prompts exactly once.

The second test runs every other timed flow the same way (tests/cluster/flows_child.py: 8 servers, each with a
poll, a film-night pick, a screening, a prompt thread and a two-round game): shard 0's process is killed mid-post
six times, at six stages, and restarted each time; every server's poll and pick results, reminders, screening
end, digest and game posts are made exactly once in total (measured: 55-60 s on SQLite, on a loaded 2-core
machine). A kill after Discord made a message but before it was recorded is not played here: each process has its
own simulated Discord, so a restart could not find its predecessor's message (tests/cross/test_faults_applied.py
plays that case in one world).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pg_backend
from tests.cluster.child import GUILDS
from tests.cluster.flows_child import GUILDS as FLOW_GUILDS
from tests.cluster.flows_child import KINDS
from tests.helpers import ROOT, rows

pytestmark = pytest.mark.slow

DAY1, DAY2, DAY3 = "2026-01-01T09:00:00+00:00", "2026-01-02T09:00:00+00:00", "2026-01-03T09:00:00+00:00"
SHARD = {guild: (guild >> 22) % 2 for guild in GUILDS}
WAIT = 60.0  # seconds a child may take for one step before the test fails
FLOWS_UNTIL = "2026-01-02T06:00:00+00:00"  # past the screening's end: every flow of flows_child.py is due by then
# Shard 0's process is killed after this many of its posts, then its restart after this many of its own, and so
# on: in round 2's reveals (00:02), the pick results (01:00), the 24 h reminders (02:00), the digests (day 2,
# 00:00), the 1 h reminders (01:00) and the screening ends (04:38); the last restart runs to the end.
FLOW_KILLS = (10, 4, 7, 4, 4, 4)


def shard_of(guild: int) -> int:
    return (guild >> 22) % 2


class Child:
    """One bot process; its JSON lines are read on a thread so the test can wait for one with a timeout."""

    def __init__(self, logs: Path, database: str, shard_ids: str, module: str = "tests.cluster.child",
                 **args: Any) -> None:
        # stderr to a file, not a pipe: a pipe nobody reads fills up (64 KB of warnings) and stalls the child.
        self.log = logs / f"child-{time.monotonic_ns()}.log"
        env = {**os.environ, "FILMBOT_DATABASE": database, "FILMBOT_SHARDS": "2", "FILMBOT_SHARD_IDS": shard_ids,
               "FILMBOT_METADATA": "off", "FILMBOT_LOG_LEVEL": "WARNING", "DISCORD_TOKEN": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, json.dumps(args)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=self.log.open("w"), text=True,
        )
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def wait_for(self, key: str) -> dict[str, Any]:
        """Every line up to the first carrying `key` (the line itself last)."""
        deadline = time.monotonic() + WAIT
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            except queue.Empty:
                self.process.kill()
                raise AssertionError(f"no {key!r} from the child in {WAIT:g} s; it printed {self.seen[-5:]}"
                                     f" and logged {self.log.read_text()[-3000:]}") from None
            if line is None:
                self.process.wait()
                raise AssertionError(f"child ended before {key!r}: {self.log.read_text()[-3000:]}")
            self.seen.append(line)
            if key in line:
                return line

    def finish(self) -> None:
        self.wait_for("done")
        assert self.process.wait(timeout=WAIT) == 0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)
        while (line := self.lines.get(timeout=WAIT)) is not None:  # what it printed before dying
            self.seen.append(line)

    def posts(self, slot: str) -> list[int]:
        return [line["post"]["guild"] for line in self.seen if "post" in line and line["post"]["slot"] == slot]

    def world(self) -> list[int]:
        return next(sorted(p["guild"] for p in line["world"]) for line in self.seen if "world" in line)


def start_together(children: list[Child], go: Path, ready: str) -> None:
    """Each child is up (and has set its schedules), then all move their clocks at once."""
    for child in children:
        child.wait_for(ready)
    channels = [next(line["ready"]["channels"] for line in child.seen if "ready" in line) for child in children]
    assert all(c == channels[0] for c in channels), "the children's worlds must hold the same channel ids"
    go.touch()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """CLUSTER_DATABASE if set; with FILMBOT_TEST_DATABASE=postgresql a new PostgreSQL database (the suite's
    tests/pg_backend.py); else a SQLite file."""
    if os.environ.get("CLUSTER_DATABASE"):
        yield os.environ["CLUSTER_DATABASE"]
    elif pg_backend.on_postgres():
        url = pg_backend.fresh_database()
        yield url
        pg_backend.drop_database(url)
    else:
        yield str(tmp_path / "cluster.db")


# The SQLite lane runs it; the PostgreSQL lane runs the flow test below (claims of every other timed job).
@pytest.mark.skipif(pg_backend.on_postgres() and not os.environ.get("CLUSTER_DATABASE"),
                    reason="the SQLite lane runs it; the PostgreSQL lane runs the flow test")
def test_two_processes_post_each_schedule_exactly_once(database: str, tmp_path: Path) -> None:
    """Disjoint shards, then overlapping shards, then one process killed mid-run and restarted: each of the
    100 servers' prompts is posted exactly once per day, and a dead process's servers wait for it."""
    # 1. Shard 0 and shard 1: each process sets and posts its own 50 servers' schedules, nothing else.
    first = Child(tmp_path, database, "0", setup=True, go=str(tmp_path / "go1"), until="2026-01-01T09:01:00+00:00")
    first.wait_for("ready")  # the first start migrates and imports the bundled corpus; the second finds it done
    second = Child(tmp_path, database, "1", setup=True, go=str(tmp_path / "go1"), until="2026-01-01T09:01:00+00:00")
    start_together([first, second], tmp_path / "go1", "set")
    first.finish()
    second.finish()
    for child, shard in ((first, 0), (second, 1)):
        assert {SHARD[g] for g in child.posts(DAY1)} == {shard}, "a process posted outside its shards"
        assert sorted(child.posts(DAY1)) == child.world(), "what it says it posted is what Discord holds"
    assert Counter(first.posts(DAY1) + second.posts(DAY1)) == Counter(GUILDS)

    # 2. Both processes think they own every server: the database's claims still let each prompt out once.
    both = [Child(tmp_path, database, "0-1", go=str(tmp_path / "go2"), until="2026-01-02T09:01:00+00:00") for _ in range(2)]
    start_together(both, tmp_path / "go2", "ready")
    for child in both:
        child.finish()
    assert Counter(both[0].posts(DAY2) + both[1].posts(DAY2)) == Counter(GUILDS)
    for child in both:
        assert sorted(child.posts(DAY2)) == child.world()

    # 3. Shard 0's process hangs after 10 posts of day 3, holding its other claims, and is killed (SIGKILL).
    stuck = Child(tmp_path, database, "0", until="2026-01-03T09:20:00+00:00", hang_after=10)
    stuck.wait_for("hung")
    time.sleep(1.0)  # posts already in flight finish (and are printed); then the process dies
    stuck.kill()
    before = stuck.posts(DAY3)
    assert 10 <= len(before) < 50 and {SHARD[g] for g in before} == {0}
    # Shard 1's process runs past the claims' lease: it posts its own 50 and takes over none of shard 0's.
    other = Child(tmp_path, database, "1", until="2026-01-03T09:20:00+00:00")
    other.finish()
    assert Counter(other.posts(DAY3)) == Counter(g for g in GUILDS if SHARD[g] == 1)
    # Shard 0's process restarts: the claims its predecessor left are recovered and posted, each once.
    again = Child(tmp_path, database, "0", until="2026-01-03T09:20:00+00:00")
    again.finish()
    assert Counter(before + again.posts(DAY3) + other.posts(DAY3)) == Counter(GUILDS)
    assert not set(before) & set(again.posts(DAY3))
    # The slot rows agree: 100 posted, the ones the restart recovered marked so.
    read = pg_backend.query if "://" in database else rows
    assert [tuple(r) for r in read(database, "SELECT status, count(*), sum(recovered) FROM schedule_posts"
                                   " WHERE slot_utc = ? GROUP BY status", (DAY3,))] == [("posted", 100, 50 - len(before))]


def flows_child(logs: Path, database: str, setup_db: str, shard_ids: str, go: Path, **args: Any) -> Child:
    """A process of the timed-flows run (tests/cluster/flows_child.py): the setup replayed on `setup_db`."""
    return Child(logs, database, shard_ids, module="tests.cluster.flows_child", setup_db=setup_db,
                 shared=database, shards=shard_ids, go=str(go), until=FLOWS_UNTIL, **args)


def flow_posts(*children: Child) -> Counter[tuple[int, str]]:
    return Counter((line["post"]["guild"], line["post"]["kind"]) for child in children for line in child.seen
                   if "post" in line)


# Its ~45 s run once per CI, in the PostgreSQL lane (several processes on one database is what PostgreSQL is
# for); on SQLite it runs when CLUSTER_DATABASE names a file. The schedule test above runs in both lanes.
@pytest.mark.skipif(not (pg_backend.on_postgres() or os.environ.get("CLUSTER_DATABASE")),
                    reason="the PostgreSQL lane runs it (or set CLUSTER_DATABASE)")
def test_two_processes_run_every_timed_flow_exactly_once_through_kills(database: str, tmp_path: Path) -> None:
    """Shard 0's and shard 1's processes over one database, shard 0's killed (SIGKILL, mid-post) three times at
    three stages of the 30 hours and restarted: each server's poll results, pick results, 24 h and 1 h
    reminders, screening end, thread digest and game reveals and round are each posted exactly once in total."""
    # The database as it is before any setup (migrated, corpus imported): each replay of the setup runs on a copy.
    pristine = tmp_path / "pristine.db"
    subprocess.run([sys.executable, "-m", "bot", "--env-file", "/nonexistent/.env", "import", "--database",
                    str(pristine)], cwd=ROOT, check=True, capture_output=True, timeout=WAIT)

    def replay() -> str:
        copy = tmp_path / f"replay-{time.monotonic_ns()}.db"
        shutil.copyfile(pristine, copy)
        return str(copy)

    go = tmp_path / "go-flows"
    first = flows_child(tmp_path, database, database, "0", go, hang_after=FLOW_KILLS[0])
    setup = first.wait_for("set")["set"]  # the shared rows are written by this one setup
    other = flows_child(tmp_path, database, replay(), "1", go)
    assert other.wait_for("set")["set"] == setup, "the replayed setup must make the same Discord ids"
    go.touch()
    killed = [first]
    for hang_after in (*FLOW_KILLS[1:], None):
        stuck = killed[-1]
        stuck.wait_for("hung")
        time.sleep(0.3)  # the job loop posts one at a time: nothing else is in flight; then the process dies
        stuck.kill()
        again = flows_child(tmp_path, database, replay(), "0", go, hang_after=hang_after)
        assert again.wait_for("set")["set"] == setup
        killed.append(again)
    other.finish()
    last = killed[-1]
    last.finish()
    for child, shard in ((other, 1), *((child, 0) for child in killed)):
        assert {shard_of(guild) for guild, _ in flow_posts(child)} <= {shard}, "a process posted outside its shards"
    for child in (other, last):  # what a process that ran to the end says it posted is what its Discord holds
        assert flow_posts(child) == Counter((p["guild"], p["kind"]) for line in child.seen if "world" in line
                                            for p in line["world"])
    assert [sum(1 for line in child.seen if "post" in line) for child in killed[:-1]] == list(FLOW_KILLS)
    everything = flow_posts(other, *killed)
    assert everything == Counter((guild, kind) for guild in FLOW_GUILDS for kind in KINDS), (
        f"missing {sorted(Counter((g, k) for g in FLOW_GUILDS for k in KINDS) - everything)},"
        f" doubled {sorted(k for k, n in everything.items() if n > 1)}")
