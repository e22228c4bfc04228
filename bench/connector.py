"""A fake Bot Connector for the benchmarks, run as its own process: answers every post with an id, keeps replies."""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter, defaultdict

from aiohttp import web

# Replies to an incoming activity whose id starts with this are kept, so that the benchmark can read them back;
# all others are only counted, so that a long throughput run costs no memory.
KEEP_PREFIX = "keep-"
STATS = web.AppKey("stats", Counter)
KEPT = web.AppKey("kept", defaultdict)


def reply_text(activity: dict) -> str:
    """Everything a user would read in a posted activity: its text and its attachments, as one string."""
    parts = [activity.get("text") or "", activity.get("summary") or ""]
    parts += [json.dumps(attachment, ensure_ascii=False) for attachment in activity.get("attachments") or []]
    return "\n".join(part for part in parts if isinstance(part, str))


def make_app() -> web.Application:
    """The connector's routes: reply to an activity, send to a conversation, and the benchmark's read-back."""
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app[STATS] = Counter()
    app[KEPT] = defaultdict(list)
    ids = itertools.count(1)

    async def record(request: web.Request) -> web.Response:
        """POST: an activity the bot sends (a reply, or to a conversation): counted, kept if asked, answered."""
        body = await request.read()
        app[STATS]["activities"] += 1
        app[STATS]["bytes"] += len(body)
        replied_to = request.match_info.get("activity", "")
        if replied_to.startswith(KEEP_PREFIX):
            try:
                app[KEPT][replied_to].append(reply_text(json.loads(body)))
            except (ValueError, AttributeError):
                app[KEPT][replied_to].append("<unreadable reply>")
        return web.json_response({"id": f"reply-{next(ids)}"})

    async def create_conversation(request: web.Request) -> web.Response:
        """POST /v3/conversations: a new conversation with an id."""
        await request.read()
        app[STATS]["conversations"] += 1
        number = next(ids)
        return web.json_response({"id": f"conv-{number}", "activityId": f"reply-{number}", "serviceUrl": ""})

    async def other(request: web.Request) -> web.Response:
        """Any other route: counted by method and path, answered with an empty object."""
        await request.read()
        app[STATS][f"other {request.method} {request.path}"[:80]] += 1
        return web.json_response({})

    async def replies(request: web.Request) -> web.Response:
        """GET: the texts replied to one kept activity (and forget them)."""
        return web.json_response(app[KEPT].pop(request.match_info["activity"], []))

    async def stats(_request: web.Request) -> web.Response:
        """GET: how many activities and bytes the connector received."""
        return web.json_response(dict(app[STATS]))

    async def healthz(_request: web.Request) -> web.Response:
        """GET: the connector is up."""
        return web.json_response({"status": "ok"})

    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", record)
    app.router.add_post("/v3/conversations/{conversation}/activities", record)
    app.router.add_post("/v3/conversations", create_conversation)
    app.router.add_get("/_bench/replies/{activity}", replies)
    app.router.add_get("/_bench/stats", stats)
    app.router.add_get("/healthz", healthz)
    app.router.add_route("*", "/{tail:.*}", other)
    return app


def main() -> None:
    """Serve the fake connector on loopback until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
