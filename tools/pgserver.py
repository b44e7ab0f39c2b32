"""A throwaway PostgreSQL for tests and CI: one cluster in a folder, on a free loopback port.

    python -m tools.pgserver start DIR   # initdb (once) + pg_ctl start; prints the DSN, one line
    python -m tools.pgserver stop DIR    # pg_ctl stop -m immediate

Also importable: `start(dir) -> dsn`, `stop(dir)`. The cluster is tuned for tests, never for data worth
keeping: fsync, synchronous_commit and full_page_writes off, trust authentication on loopback only (no
password), max_connections=200, the unix socket inside DIR (nothing in /var/run). Encoding UTF8 with the
C.UTF-8 locale when the system has it (lower() then folds non-ASCII letters too), else --no-locale.

Binaries: `initdb`/`pg_ctl` on PATH, else /usr/lib/postgresql/<newest>/bin; when neither exists and we
run as root with apt-get, Debian's `postgresql` package is installed (said on stderr; its own "main"
cluster is not created). initdb and pg_ctl refuse to run as root: as root they run as the `postgres`
user (or `filmbot-pg`, created with useradd when neither exists), and DIR is handed to that user.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SUPERUSER = "postgres"  # the cluster's superuser (initdb -U), the DSN's user
_OS_USERS = ("postgres", "filmbot-pg")  # who runs the server when we are root: the first that exists
_SOCKET_DIR = "sock"
_PORT_FILE = "port"
_TRIES = 5  # a free port can be taken between the probe and the server's bind: try another
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class PgServerError(RuntimeError):
    """The throwaway server could not be set up or started (the message says why)."""


def binaries(*, install: bool = False) -> Path | None:
    """The folder holding initdb and pg_ctl, or None. With install=True, as root with apt-get, install
    Debian's postgresql package first when no binaries are found."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:  # symlinks on PATH (/usr/local/bin here): the folder they point into
        folder = Path(initdb).resolve().parent
        if (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            return folder
    found = _debian_bin()
    if found is None and install and os.geteuid() == 0 and shutil.which("apt-get"):
        _apt_install()
        found = _debian_bin()
    return found


def _debian_bin() -> Path | None:
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: _version_key(Path(p).parent.name))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _apt_install() -> None:
    print(
        "pgserver: no PostgreSQL binaries found; installing Debian's postgresql package"
        " (apt-get update, apt-get install -y postgresql) without creating its default cluster",
        file=sys.stderr,
    )
    conf = Path("/etc/postgresql-common/createcluster.conf")
    if not conf.exists():  # the package would otherwise create and start a "main" cluster on port 5432
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text("create_main_cluster = false\n", encoding="utf-8")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "-o", "Dpkg::Options::=--force-confold", "postgresql"]):
        subprocess.run(command, check=True, env=env, stdout=sys.stderr)


def _os_user() -> str | None:
    """Who runs initdb/pg_ctl: None (ourselves) unless we are root, which PostgreSQL refuses."""
    if os.geteuid() != 0:
        return None
    for name in _OS_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    name = _OS_USERS[-1]
    print(f"pgserver: running as root, which initdb refuses; creating system user {name!r}", file=sys.stderr)
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return name


def _run(command: list[str], user: str | None) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program, as `user` when given (runuser, else su), its output captured."""
    if user is not None:
        runner = shutil.which("runuser")
        command = [runner, "-u", user, "--", *command] if runner else ["su", user, "-s", "/bin/sh", "-c",
                                                                       " ".join(map(_quote, command))]
    return subprocess.run(command, check=False, capture_output=True, text=True)


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\"'\"'") + "'"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hand_over(folder: Path, user: str | None) -> None:
    """As root: DIR belongs to the server's user, and every folder above it lets that user through."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    check = _run(["test", "-w", str(folder)], user)
    if check.returncode != 0:
        raise PgServerError(f"user {user!r} cannot reach {folder}: a folder above it is private (use one under /tmp)")


def _locale_args() -> list[str]:
    """C.UTF-8 when the system has it (non-ASCII lower()/upper() and text-search letters), else no locale."""
    listed = subprocess.run(["locale", "-a"], check=False, capture_output=True, text=True) \
        if shutil.which("locale") else None
    locales = listed.stdout.split() if listed is not None else []
    if any(name.lower() in ("c.utf8", "c.utf-8") for name in locales):
        return ["-E", "UTF8", "--locale=C.UTF-8"]
    return ["-E", "UTF8", "--no-locale"]


def _initdb(data: Path, bin_dir: Path, user: str | None) -> None:
    data.mkdir(parents=True, exist_ok=True)
    _hand_over(data, user)
    result = _run([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--no-sync",
                   *_locale_args()], user)
    if result.returncode != 0:
        raise PgServerError(f"initdb failed: {result.stderr.strip() or result.stdout.strip()}")
    # trust on loopback and the socket only: the generated pg_hba.conf already says exactly that
    lines = [f"{key} = {value}" for key, value in _SETTINGS.items()]
    lines.append(f"unix_socket_directories = '{(data / _SOCKET_DIR).as_posix()}'")
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n# tools/pgserver.py: a throwaway test server\n" + "\n".join(lines) + "\n")
    (data / _SOCKET_DIR).mkdir(exist_ok=True)
    _hand_over(data / _SOCKET_DIR, user)


def start(folder: Path) -> str:
    """Create (first time) and start the cluster in `folder`; return its DSN. Already running: its DSN."""
    folder = Path(folder).resolve()
    if len(str(folder / _SOCKET_DIR / ".s.PGSQL.65535.lock")) > 100:
        raise PgServerError(f"{folder} is too long a path for the server's unix socket (keep it under ~70 characters)")
    bin_dir = binaries(install=True)
    if bin_dir is None:
        raise PgServerError("no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")
    user = _os_user()
    if not (folder / "PG_VERSION").exists():
        _initdb(folder, bin_dir, user)
    elif _running(folder, bin_dir, user):
        return dsn(int((folder / _PORT_FILE).read_text().strip()))
    error = ""
    for _ in range(_TRIES):
        port = _free_port()
        result = _run([str(bin_dir / "pg_ctl"), "-D", str(folder), "-w", "-t", "60", "-l", str(folder / "server.log"),
                       "-o", f"-p {port}", "start"], user)
        if result.returncode == 0:
            (folder / _PORT_FILE).write_text(f"{port}\n", encoding="utf-8")
            return dsn(port)
        error = _log_tail(folder) or result.stderr.strip() or result.stdout.strip()
        time.sleep(0.2)
    raise PgServerError(f"pg_ctl start failed: {error}")


def _running(folder: Path, bin_dir: Path, user: str | None) -> bool:
    return (folder / _PORT_FILE).exists() and _run([str(bin_dir / "pg_ctl"), "-D", str(folder), "status"],
                                                    user).returncode == 0


def _log_tail(folder: Path) -> str:
    try:
        return "\n".join((folder / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()[-5:])
    except OSError:
        return ""


def with_database(dsn: str, name: str) -> str:
    """The same server's DSN naming another database."""
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def admin(dsn: str, sql: str) -> None:
    """One statement on its own connection (CREATE/DROP DATABASE cannot run inside a transaction)."""
    import asyncpg  # only callers that have a server need the driver

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` at once (nothing in it is worth a clean shutdown). Not running: no-op."""
    folder = Path(folder).resolve()
    bin_dir = binaries()
    if bin_dir is None or not (folder / "postmaster.pid").exists():
        return
    result = _run([str(bin_dir / "pg_ctl"), "-D", str(folder), "-m", "immediate", "-w", "stop"], _os_user())
    if result.returncode != 0 and (folder / "postmaster.pid").exists():
        raise PgServerError(f"pg_ctl stop failed: {result.stderr.strip() or result.stdout.strip()}")
    (folder / _PORT_FILE).unlink(missing_ok=True)


def pause(folder: Path) -> None:
    """Stop the running cluster in `folder` as its host's restart does (fast: clients are disconnected, what was
    committed is kept — an immediate stop would lose this throwaway server's last commits, synchronous_commit being
    off), keeping its port for `resume`: clients holding its DSN meet an outage, not a move."""
    folder = Path(folder).resolve()
    bin_dir = binaries()
    if bin_dir is None:
        raise PgServerError("no PostgreSQL binaries (pg_ctl)")
    result = _run([str(bin_dir / "pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop"], _os_user())
    if result.returncode != 0:
        raise PgServerError(f"pg_ctl stop failed: {result.stderr.strip() or result.stdout.strip()}")


def resume(folder: Path) -> str:
    """Start the cluster `pause` stopped, on the port it had (its DSN unchanged); return that DSN."""
    folder = Path(folder).resolve()
    bin_dir = binaries()
    if bin_dir is None:
        raise PgServerError("no PostgreSQL binaries (pg_ctl)")
    port = int((folder / _PORT_FILE).read_text().strip())
    result = _run([str(bin_dir / "pg_ctl"), "-D", str(folder), "-w", "-t", "60", "-l", str(folder / "server.log"),
                   "-o", f"-p {port}", "start"], _os_user())
    if result.returncode != 0:
        raise PgServerError(f"pg_ctl start failed: {_log_tail(folder) or result.stderr.strip()}")
    return dsn(port)


def dsn(port: int, database: str = "postgres") -> str:
    return f"postgresql://{SUPERUSER}@127.0.0.1:{port}/{database}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pgserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            print(start(args.dir), flush=True)
        else:
            stop(args.dir)
    except (PgServerError, subprocess.CalledProcessError) as error:
        print(f"pgserver: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
