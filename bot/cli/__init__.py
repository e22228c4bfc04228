"""The `integriteitsbot` command: serve, chat, search, content check, teams-package; the commands on records (outbox,
stats, gifts export, purge, keys, audit) are in records.py."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path

from bot import logs
from bot.channels.teams.package import DEFAULT_DEVELOPER, DEFAULT_OUTPUT, Developer, write_package
from bot.cli.backup import add_parsers as add_backup_parsers
from bot.cli.campaigns import add_parsers as add_campaign_parsers
from bot.cli.common import DEFAULT_ORG, content_dir, directory_of, org_of, year
from bot.cli.content import add_parsers as add_content_parsers
from bot.cli.records import cmd_audit, cmd_gifts_export, cmd_keys, cmd_outbox, cmd_purge, cmd_stats
from bot.knowledge.content import DEFAULT_CONTENT_DIR, ContentError, load_content
from bot.settings import Settings, SettingsError, read_env_file
from bot.storage.store import StoreError

log = logging.getLogger("integriteitsbot")
CHAT_LOG = "chat.log"
CHAT_LOG_LINE = "(Het logboek van de bot staat in {path}.)"


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the bot over HTTP until SIGTERM or Ctrl-C."""
    from aiohttp import web

    from bot.app import create_app

    flags = {"port": args.port, "dev_mode": True if args.dev else None}
    settings = Settings.from_env(org=args.org, content_dir=Path(args.content) if args.content else None, **flags)
    if not settings.org and not settings.tenants and not settings.slack_teams:
        # One organisation for everyone only when no map says which tenant or workspace is whose: with a map, an
        # unmapped tenant or workspace hears that the bot is not set up for it, never another organisation's code.
        settings = Settings.from_env(org=DEFAULT_ORG, content_dir=settings.content_dir, **flags)
    logs.configure(settings.log_level, settings.log_format)
    app = create_app(settings)
    # run_app handles SIGINT and SIGTERM: it stops accepting, finishes cleanup and returns.
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None, shutdown_timeout=10)
    log.info("stopped")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal, with the same storage as the service."""
    from bot.channels.console import console_user, run
    from bot.clock import Clock
    from bot.conversation.dispatch import Conversation
    from bot.delivery.outbox import OutboxWorker
    from bot.storage.secret import data_dir
    from bot.storage.store import Store

    settings = Settings.from_env()
    content = load_content(content_dir(args))
    org = org_of(args, content.packs)
    directory = directory_of(settings, content)
    # The terminal shows only the conversation; what the service logs (migrations, the lookup, the outbox with
    # what a recipient would get) goes to a file in the data directory, named in the first line.
    log_file = data_dir(settings.database_url, settings.data_dir) / CHAT_LOG
    logs.to_file(log_file, settings.log_level, settings.log_format)
    print(CHAT_LOG_LINE.format(path=log_file), end="\n\n", flush=True)

    async def chat() -> int:
        clock = Clock()
        store = await Store.open(settings.database_url, clock, **settings.store_options)
        worker = OutboxWorker(store, interval=settings.outbox_interval)
        # Deliver notifications while chatting, so the log shows what a recipient would get.
        task = asyncio.create_task(worker.run())
        try:
            conversation = Conversation.build(content, store, directory, set(worker.channels), clock)
            return await run(conversation, org, user=console_user(org, args.session))
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await worker.run_once()
            await store.close()

    return asyncio.run(chat())


def cmd_search(args: argparse.Namespace) -> int:
    """Search one organisation's code; `--json` reads queries from stdin, one per line."""
    from bot.knowledge.lookup import SectionIndex, Synonyms
    from bot.knowledge.printing import print_search, search_json

    content = load_content(content_dir(args))
    index = SectionIndex(content.packs[org_of(args, content.packs)], Synonyms.build(content.synonyms))
    if not args.json and not args.query:
        print("Geef een zoekvraag, of gebruik --json en geef vragen via stdin.", file=sys.stderr)
        return 2
    try:
        if args.json:
            queries = [args.query] if args.query else (line.rstrip("\n") for line in sys.stdin)
            for query in queries:
                print(search_json(query, index.search(query, limit=args.limit)), flush=True)
        else:
            print_search(index.search(args.query, limit=args.limit))
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point stdout at nothing, so the flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    """Validate every content pack and print each problem with its file and field."""
    content = load_content(content_dir(args))
    for org, pack in sorted(content.packs.items()):
        print(
            f"{org}: {len(pack.code.sections)} sections, {len(pack.contacts.roles)} roles, "
            f"{len(pack.routing.routes)} routes"
        )
    print(f"OK: {len(content.packs)} packs, {len(content.synonyms)} synonym groups")
    settings = Settings.from_env()
    directory = directory_of(settings, content)
    if directory.demo:
        print(f"Warning: contacts come from the fictional demo file {directory.source}")
    for org, role in directory.unstaffed(content):
        print(f"Warning: {org}: role '{role}' receives cases but has nobody in {directory.source}")
    return 0


def cmd_content_embed(args: argparse.Namespace) -> int:
    """Compute the vectors of every pack's passages, titles and FAQ questions, and store them beside the pack."""
    from bot.knowledge.lookup import SectionIndex, Synonyms

    content = load_content(content_dir(args))
    synonyms = Synonyms.build(content.synonyms)
    for org, pack in sorted(content.packs.items()):
        index = SectionIndex(pack, synonyms)
        if not index.vectors.save(index.vector_keys):
            print(f"{org}: cannot write {index.vectors.path}", file=sys.stderr)
            return 1
        print(f"{org}: {len(index.vector_keys)} vectors in {index.vectors.path}, {index.vectors.computed} new")
    return 0


def cmd_teams_package(args: argparse.Namespace) -> int:
    """Write the Teams app package (manifest and icons) for this deployment's app id and public host."""
    developer = Developer(args.developer or DEFAULT_DEVELOPER, args.website_url, args.privacy_url, args.terms_url)
    output = Path(args.output)
    manifest = write_package(Settings.from_env(), output, developer, args.app_version)
    print(
        f"Wrote {output}: Teams app {manifest['id']} version {manifest['version']}, "
        f"valid domain {', '.join(manifest['validDomains'])}."
    )
    if not args.privacy_url:
        print(
            f"Note: the app's privacy link points to {manifest['developer']['privacyUrl']}; pass --privacy-url "
            "(and --website-url, --terms-url) to link your organisation's own pages."
        )
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    top = argparse.ArgumentParser(
        prog="integriteitsbot", description="Integriteitsbot: de deontologische code in Teams."
    )
    top.add_argument("--content", help=f"content directory (default: INTEGRITEITSBOT_CONTENT or {DEFAULT_CONTENT_DIR})")
    sub = top.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the bot over HTTP")
    serve.add_argument("--port", type=int)
    serve.add_argument("--org")
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development mode: /api/messages without authentication, never for real use (INTEGRITEITSBOT_DEV=1)",
    )
    serve.set_defaults(func=cmd_serve)

    chat = sub.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--org")
    chat.add_argument(
        "--session", help="a name for this conversation; one per organisation and session (default: your user name)"
    )
    chat.set_defaults(func=cmd_chat)

    search = sub.add_parser("search", help="search one organisation's code")
    search.add_argument("--org")
    search.add_argument("--limit", type=int, default=3)
    search.add_argument("--json", action="store_true", help="one JSON object per query; queries from stdin")
    search.add_argument("query", nargs="?")
    search.set_defaults(func=cmd_search)

    outbox = sub.add_parser("outbox", help="list pending and failed notifications")
    outbox.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    outbox.set_defaults(func=cmd_outbox)

    stats = sub.add_parser("stats", help="figures for one organisation's annual integrity report (no personal data)")
    stats.add_argument("--org", required=True)
    stats.add_argument("--year", type=year, required=True, help="the calendar year, such as 2026")
    stats.add_argument("--format", choices=["text", "json", "csv", "html"], default="text")
    stats.add_argument("-o", "--output", help="write to this file instead of printing")
    stats.set_defaults(func=cmd_stats)

    purge = sub.add_parser("purge", help="delete what is past RETENTION_YEARS now (the service does it daily)")
    purge.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    purge.set_defaults(func=cmd_purge)

    keys = sub.add_parser("keys", help="the data keys that encrypt case content (stop the service first)")
    keys.add_argument("action", choices=["rotate"], help="a new data key; every value re-encrypted under it")
    keys.add_argument("--new-secret", metavar="FILE", help="also wrap the keys with this new secret, which replaces it")
    keys.set_defaults(func=cmd_keys)

    audit = sub.add_parser("audit", help="who did what to which case, and whether the trail is intact")
    audit.add_argument("--case", help="only the entries of this reference, such as M-2026-0001")
    audit.add_argument("--since", help="only the entries from this day on (2026-11-24 or 24/11/2026)")
    audit.set_defaults(func=cmd_audit)

    gifts = sub.add_parser("gifts", help="the gift register")
    gifts_sub = gifts.add_subparsers(dest="gifts_command", required=True)
    export = gifts_sub.add_parser("export", help="write one organisation's gift register of a year (CSV or Excel)")
    export.add_argument("--org", required=True)
    export.add_argument("--year", type=year, required=True, help="the calendar year, such as 2026")
    export.add_argument("--format", choices=["csv", "xlsx"], required=True)
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.set_defaults(func=cmd_gifts_export)

    package = sub.add_parser("teams-package", help="write the Teams app package (zip) to upload in Teams")
    package.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help=f"the zip (default: {DEFAULT_OUTPUT})")
    package.add_argument("--developer", help="the publisher's name shown in Teams (default: Integriteitsbot)")
    package.add_argument("--website-url", help="the publisher's website (default: https://<public host>/)")
    package.add_argument("--privacy-url", help="your privacy statement (default: the website URL)")
    package.add_argument("--terms-url", help="your terms of use (default: the website URL)")
    package.add_argument("--app-version", help="the app's version, raised for every update (default: the package's)")
    package.set_defaults(func=cmd_teams_package)

    content = sub.add_parser("content", help="content pack tools")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate every pack")
    check.set_defaults(func=cmd_content_check)
    embed = content_sub.add_parser("embed", help="compute the packs' sentence vectors ahead, so start-up is quick")
    embed.set_defaults(func=cmd_content_embed)
    add_content_parsers(content_sub)
    add_backup_parsers(sub)
    add_campaign_parsers(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    logs.configure(logging.INFO)
    args = parser().parse_args(argv)
    try:
        read_env_file()
        return args.func(args)
    except ContentError as exc:
        print(f"Content packs are invalid ({len(exc.problems)} problems):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"Database error: {exc}", file=sys.stderr)
        return 3
