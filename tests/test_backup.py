"""`integriteitsbot backup` copies the SQLite database while the service has it open (what is still in the WAL
included) and `restore` puts it back, checked; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.storage import db
from bot.storage.store import Store
from tests.conftest import Chat, reference
from tests.flows import DESCRIPTION, answer_report, rows

ROOT = Path(__file__).resolve().parent.parent


def command(*args: str, url: str, data: Path) -> subprocess.CompletedProcess:
    """The command as an administrator runs it, on the service's database and data directory."""
    env = {**os.environ, "DATABASE_URL": url, "INTEGRITEITSBOT_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


async def test_backup_while_serving_and_restore(conversation, store, database_url, clock, tmp_path):
    employee = Chat(conversation, "kortrijk")
    await answer_report(employee, "schending van regels", identity="Met mijn naam")
    await employee.press("versturen")
    ref = reference(clock)
    # The store stays open, as the running service holds it: the report may still be in the WAL only.
    backup = tmp_path / "backups" / "integriteitsbot-2026-12-05.db"
    done = command("backup", str(backup), url=database_url, data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Backup written" in done.stdout and "secret.key" in done.stdout  # the secret is kept apart, said so
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT reference FROM cases").fetchall() == [(ref,)]
    again = command("backup", str(backup), url=database_url, data=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr

    restored_url = f"sqlite+aiosqlite:///{tmp_path}/restored/integriteitsbot.db"
    done = command("restore", str(backup), url=restored_url, data=tmp_path)
    assert done.returncode == 0, done.stderr
    reopened = await Store.open(restored_url, clock, data_dir=tmp_path)
    try:
        (case,) = await rows(reopened, db.cases)
        assert case.reference == ref
        readable = await reopened.case_by_reference("kortrijk", ref)  # the same secret reads the content
        assert readable.description == DESCRIPTION
    finally:
        await reopened.close()
    refused = command("restore", str(backup), url=restored_url, data=tmp_path)
    assert refused.returncode == 2 and "stop the service" in refused.stderr


def test_restore_refuses_what_is_no_backup_and_postgres_is_pointed_to_its_tools(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("geen databank", encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path}/bot.db"
    done = command("restore", str(junk), url=url, data=tmp_path)
    assert done.returncode == 2 and "not an SQLite database" in done.stderr and "Traceback" not in done.stderr
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as made:
        made.execute("CREATE TABLE notes (text TEXT)")
    done = command("restore", str(other), url=url, data=tmp_path)
    assert done.returncode == 2 and "not a database of Integriteitsbot" in done.stderr
    done = command("backup", str(tmp_path / "x.db"), url="postgresql+asyncpg://bot@localhost/bot", data=tmp_path)
    assert done.returncode == 2 and "pg_dump" in done.stderr
