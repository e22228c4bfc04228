"""`integriteitsbot backup FILE` and `restore FILE`: SQLite's online backup, safe while the service runs, and its
restore; PostgreSQL keeps its own tools (pg_dump, pg_restore)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.storage.secret import secret_path

PAGES_PER_STEP = 1024  # pages copied per step; writers of the service go on between steps
POSTGRES = (
    "DATABASE_URL is PostgreSQL: back it up with its own tools, e.g. `pg_dump -Fc -f integriteitsbot.dump DBNAME` "
    "and `pg_restore --clean -d DBNAME integriteitsbot.dump` (README, 'Backups and upgrades')."
)


def _sqlite_file(settings: Settings) -> Path | None:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        return None
    return Path(url.database or "")


def _check(path: Path) -> str | None:
    """Why a file is not a usable backup of this service, or None when it is one."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return "the file is damaged (PRAGMA quick_check failed)"
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        return f"not an SQLite database ({error})"
    if not {"alembic_version", "cases", "gifts"} <= tables:
        return "not a database of Integriteitsbot (no cases, gifts or alembic_version table)"
    return None


def _copy(source: Path, target: Path) -> None:
    """Copy a database with SQLite's online backup, step by step, into a file that replaces `target` at once."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            contextlib.closing(sqlite3.connect(temporary)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        os.chmod(temporary, 0o600)  # case content is encrypted, but who reported what is not for everyone
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the SQLite database to FILE while the service may be running."""
    settings = Settings.from_env()
    database = _sqlite_file(settings)
    if database is None:
        print(POSTGRES, file=sys.stderr)
        return 2
    if not database.is_file():
        print(f"No database at {database} (DATABASE_URL).", file=sys.stderr)
        return 2
    target = Path(args.file)
    if target.exists() and not args.force:
        print(f"{target} exists; choose another file or add --force.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(database, target)
    problem = _check(target)
    if problem:
        print(f"The backup {target} does not check out: {problem}.", file=sys.stderr)
        return 1
    secret = secret_path(settings.database_url, settings.secret_file, settings.data_dir)
    print(f"Backup written: {target} ({target.stat().st_size // 1024} kB, checked).")
    print(f"Keep the server secret {secret} too, but apart from it: without it the case content cannot be read.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a backup back as the SQLite database (stop the service first); migrations bring it up to date at start."""
    settings = Settings.from_env()
    database = _sqlite_file(settings)
    if database is None:
        print(POSTGRES, file=sys.stderr)
        return 2
    source = Path(args.file)
    if not source.is_file():
        print(f"No backup at {source}.", file=sys.stderr)
        return 2
    problem = _check(source)
    if problem:
        print(f"{source} cannot be restored: {problem}.", file=sys.stderr)
        return 2
    if database.exists() and not args.force:
        print(f"{database} exists: stop the service, then restore with --force to replace it.", file=sys.stderr)
        return 2
    database.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)  # a WAL of the replaced database must not be replayed onto the backup
    _copy(source, database)
    print(f"Restored {source} as {database}. Start the service: migrations run once at start if it is older.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The backup and restore subcommands."""
    backup = sub.add_parser("backup", help="a consistent copy of the SQLite database, safe while serving")
    backup.add_argument("file", help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace the file if it exists")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="put a backup back as the SQLite database (stop the service first)")
    restore.add_argument("file", help="the backup file to restore")
    restore.add_argument("--force", action="store_true", help="replace the existing database")
    restore.set_defaults(func=cmd_restore)
