"""/readyz apart from /healthz: ready only when the database answers, the packs are loaded and the migrations
are current; a replica whose database is behind says so with 503."""

from __future__ import annotations

import sqlite3

from aiohttp import ClientSession

from bot.storage.migrate import head_revision
from tests.serving import healthz, serve, stop


async def test_ready_when_database_packs_and_migrations_are(tmp_path):
    process, url, log = serve(tmp_path, "--dev")
    try:
        await healthz(process, url)
        async with ClientSession() as http:
            async with http.get(f"{url}/readyz") as response:
                assert response.status == 200
                assert await response.json() == {
                    "status": "ready",
                    "checks": {"packs": True, "database": True, "migrations": True},
                }
            # The database is taken back to an older revision, as a replica would see before another one migrated.
            database = next(tmp_path.glob("serve-*.db"))
            with sqlite3.connect(database) as db:
                db.execute("UPDATE alembic_version SET version_num = '0009'")
            async with http.get(f"{url}/readyz") as response:
                assert response.status == 503
                body = await response.json()
                assert body["checks"] == {"packs": True, "database": True, "migrations": False}
            async with http.get(f"{url}/healthz") as response:
                assert response.status == 200  # alive all the same: liveness and readiness apart
            with sqlite3.connect(database) as db:
                db.execute("UPDATE alembic_version SET version_num = ?", (head_revision(),))
            async with http.get(f"{url}/readyz") as response:
                assert response.status == 200
    finally:
        stop(process, log)
