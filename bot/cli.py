"""The `integriteitsbot` command: serve, chat, search, outbox, stats, gifts export, content check and teams-package."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
import textwrap
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot import logs
from bot.channels.teams.package import DEFAULT_DEVELOPER, DEFAULT_OUTPUT, Developer, write_package
from bot.knowledge.content import DEFAULT_CONTENT_DIR, ContentError, load_content
from bot.settings import Settings, SettingsError
from bot.storage.store import StoreError

if TYPE_CHECKING:
    from bot.storage.store import Store

DEFAULT_ORG = "voorbeeldgemeente"
T = TypeVar("T")
log = logging.getLogger("integriteitsbot")


def _content_dir(args: argparse.Namespace) -> Path:
    return Path(args.content) if args.content else Settings.from_env().content_dir


def _org(args: argparse.Namespace, packs: dict) -> str:
    org = args.org or Settings.from_env().org or DEFAULT_ORG
    if org not in packs:
        raise SettingsError(f"unknown organisation '{org}' (known: {', '.join(sorted(packs))})")
    return org


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
    logs.configure(settings.log_level)
    app = create_app(settings)
    # run_app handles SIGINT and SIGTERM: it stops accepting, finishes cleanup and returns.
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None, shutdown_timeout=10)
    log.info("stopped")
    return 0


def _directory(settings: Settings, content):
    from bot.knowledge.directory import DirectoryError, load_directory

    try:
        return load_directory(settings.contacts_file, content, settings.mail_domains)
    except DirectoryError as exc:
        raise SettingsError(f"INTEGRITEITSBOT_CONTACTS: {exc}") from exc


def cmd_chat(args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal, with the same storage as the service."""
    from bot.channels.console import console_user, run
    from bot.clock import Clock
    from bot.conversation.dispatch import Conversation
    from bot.delivery.outbox import OutboxWorker
    from bot.storage.store import Store

    settings = Settings.from_env()
    content = load_content(_content_dir(args))
    org = _org(args, content.packs)
    directory = _directory(settings, content)

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


def cmd_outbox(args: argparse.Namespace) -> int:
    """List notifications that wait for delivery or failed; `retry` puts the failed ones back in the queue."""

    async def outbox(store: Store) -> list | None:
        if args.action == "retry":
            print(f"{await store.retry_failed()} failed notifications queued again.")
            return None
        return await store.outbox_rows()

    rows = _with_store(outbox)
    if rows is None:
        return 0
    if not rows:
        print("No pending or failed notifications.")
    for row in rows:
        recipient = row.recipient.get("name") or row.recipient.get("email") or "-"
        print(
            f"#{row.id} {row.status:<8} {row.org} {row.reference} {row.kind} to {row.recipient_role} ({recipient})"
            f" via {row.channel}, attempts {row.attempts}, next {row.next_attempt_at:%Y-%m-%d %H:%M:%S}"
            + (f", last error: {row.last_error}" if row.last_error else "")
        )
    return 0


def _year(text: str) -> int:
    """A calendar year from the command line, such as 2026."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year such as 2026") from None
    if not 2000 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"{year} is not a year such as 2026")
    return year


def _with_store(work: Callable[[Store], Awaitable[T]]) -> T:
    """Run `work(store)` on the database of the settings, and close it again."""
    from bot.storage.store import Store

    async def run() -> T:
        store = await Store.open((settings := Settings.from_env()).database_url, **settings.store_options)
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(run())


def cmd_stats(args: argparse.Namespace) -> int:
    """Print or write one organisation's figures for a year's integrity report; only masked counts and shares."""
    from bot.clock import Clock
    from bot.reports.kept import figures_for
    from bot.reports.stats import RENDERERS

    content = load_content(_content_dir(args))
    pack = content.packs[_org(args, content.packs)]
    today = Clock().today()  # a term that still runs today is not counted as missed
    # A year whose records retention began to delete keeps the figures it had then.
    figures = _with_store(lambda store: figures_for(store, pack, args.year, today))
    if not figures.has_records:
        print(f"No cases, gift declarations or contact requests for '{pack.org}' in {args.year}.", file=sys.stderr)
        return 2
    text = RENDERERS[args.format](figures)
    if not args.output:
        sys.stdout.write(text)
        return 0
    # A BOM lets Excel read the CSV as UTF-8; the other formats are plain UTF-8.
    Path(args.output).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
    print(f"Wrote {args.output}: figures of {pack.org} for {args.year} as {args.format}.")
    return 0


def cmd_gifts_export(args: argparse.Namespace) -> int:
    """Write one organisation's gift register of a year as CSV or Excel, for its integrity officer."""
    from bot.reports.export import gift_rows, write_csv, write_xlsx

    content = load_content(_content_dir(args))
    pack = content.packs[_org(args, content.packs)]
    rows = _with_store(lambda store: gift_rows(store, pack, args.year))
    if not rows:
        print(f"No gift declarations for '{pack.org}' in {args.year}; nothing written.", file=sys.stderr)
        return 2
    if args.format == "xlsx":
        write_xlsx(rows, args.output, f"Geschenkenregister {args.year}")
    else:
        write_csv(rows, args.output)
    print(f"Wrote {args.output}: {len(rows)} gift declarations of {pack.org} for {args.year}.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete what is past RETENTION_YEARS now (the service does it daily), or with --dry-run list what would go."""
    from bot.cases.retention import Retention
    from bot.reports.kept import snapshot

    settings = Settings.from_env()
    content = load_content(_content_dir(args))

    async def run(store: Store) -> tuple[date, list]:
        retention = Retention(store, content, settings.retention_years, figures=snapshot)
        return retention.cutoff(store.clock.today()), await retention.run(dry_run=args.dry_run)

    cutoff, items = _with_store(run)
    verb = "would delete" if args.dry_run else "deleted"
    for item in items:
        print(f"{item.org}\t{item.kind}\t{item.reference}\tsince {item.since:%d/%m/%Y}")
    print(f"Retention {settings.retention_years} years (before {cutoff:%d/%m/%Y}): {verb} {len(items)} records.")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    """A new data key, every value re-encrypted; --new-secret also wraps the keys with a new server secret."""
    from bot.storage.secret import SecretError, ServerSecret, read_secret
    try:
        new = ServerSecret(read_secret(Path(args.new_secret))) if args.new_secret else None
    except SecretError as exc:
        raise SettingsError(f"--new-secret: {exc}") from None
    print("\n".join(_with_store(lambda store: store.rotate(new))))  # audit trail (point 7): "key rotated" goes here
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Search one organisation's code; `--json` reads queries from stdin, one per line."""
    from bot.knowledge.lookup import SectionIndex, Synonyms

    content = load_content(_content_dir(args))
    index = SectionIndex(content.packs[_org(args, content.packs)], Synonyms.build(content.synonyms))
    if not args.json and not args.query:
        print("Geef een zoekvraag, of gebruik --json en geef vragen via stdin.", file=sys.stderr)
        return 2
    try:
        if args.json:
            queries = [args.query] if args.query else (line.rstrip("\n") for line in sys.stdin)
            for query in queries:
                print(_search_json(query, index.search(query, limit=args.limit)), flush=True)
        else:
            _print_search(index.search(args.query, limit=args.limit))
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point stdout at nothing, so the flush at exit is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _search_json(query: str, hits: list) -> str:
    """One JSON line: the query, whether the bot presents the first result as its answer, and each result with the
    whole section and the passage the bot shows for it (plain text)."""
    from bot.knowledge.lookup import snippet

    results = [
        {
            "id": hit.section.id,
            "title": hit.section.title,
            "text": hit.section.text,
            "score": round(hit.score, 4),
            "snippet": snippet(hit, mark=""),
        }
        for hit in hits
    ]
    confident = bool(hits) and hits[0].good
    return json.dumps({"query": query, "confident": confident, "results": results}, ensure_ascii=False)


def _print_search(hits: list) -> None:
    """Each result with its title, id and score, the passage the bot shows indented below it."""
    from bot.knowledge.lookup import snippet

    if not hits:
        print("Geen resultaten.")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. {hit.section.title} [{hit.section.id}] score {hit.score:.2f}")
        print(textwrap.indent(snippet(hit), "   ") + "\n")
    if hits and not hits[0].good:
        print("(geen duidelijk antwoord)")


def cmd_content_check(args: argparse.Namespace) -> int:
    """Validate every content pack and print each problem with its file and field."""
    content = load_content(_content_dir(args))
    for org, pack in sorted(content.packs.items()):
        print(
            f"{org}: {len(pack.code.sections)} sections, {len(pack.contacts.roles)} roles, "
            f"{len(pack.routing.routes)} routes"
        )
    print(f"OK: {len(content.packs)} packs, {len(content.synonyms)} synonym groups")
    settings = Settings.from_env()
    directory = _directory(settings, content)
    if directory.demo:
        print(f"Warning: contacts come from the fictional demo file {directory.source}")
    for org, role in directory.unstaffed(content):
        print(f"Warning: {org}: role '{role}' receives cases but has nobody in {directory.source}")
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
    stats.add_argument("--year", type=_year, required=True, help="the calendar year, such as 2026")
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

    gifts = sub.add_parser("gifts", help="the gift register")
    gifts_sub = gifts.add_subparsers(dest="gifts_command", required=True)
    export = gifts_sub.add_parser("export", help="write one organisation's gift register of a year (CSV or Excel)")
    export.add_argument("--org", required=True)
    export.add_argument("--year", type=_year, required=True, help="the calendar year, such as 2026")
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
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    logs.configure(logging.INFO)
    args = parser().parse_args(argv)
    try:
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
