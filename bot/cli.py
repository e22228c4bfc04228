"""The `integriteitsbot` command: serve, chat, search, outbox, stats, gifts export, content check and teams-package."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
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

    settings = Settings.from_env(port=args.port, org=args.org, content_dir=Path(args.content) if args.content else None)
    if not settings.org and not settings.tenants:
        settings = Settings.from_env(port=args.port, org=DEFAULT_ORG, content_dir=settings.content_dir)
    logs.configure(settings.log_level)
    app = create_app(settings)
    # run_app handles SIGINT and SIGTERM: it stops accepting, finishes cleanup and returns.
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None, shutdown_timeout=10)
    log.info("stopped")
    return 0


def _directory(settings: Settings, content):
    from bot.knowledge.directory import DirectoryError, load_directory

    try:
        return load_directory(settings.contacts_file, content)
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
        store = await Store.open(settings.database_url, clock)
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
    from bot.storage.store import Store

    settings = Settings.from_env()

    async def outbox() -> int:
        store = await Store.open(settings.database_url)
        try:
            if args.action == "retry":
                print(f"{await store.retry_failed()} failed notifications queued again.")
                return 0
            rows = await store.outbox_rows()
        finally:
            await store.close()
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

    return asyncio.run(outbox())


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
        store = await Store.open(Settings.from_env().database_url)
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(run())


def cmd_stats(args: argparse.Namespace) -> int:
    """Print or write one organisation's figures for a year's integrity report; only masked counts and shares."""
    from bot.clock import Clock
    from bot.reports.audit import operator
    from bot.reports.kept import audited_figures
    from bot.reports.stats import RENDERERS

    content = load_content(_content_dir(args))
    pack = content.packs[_org(args, content.packs)]
    today = Clock().today()  # a term that still runs today is not counted as missed
    # A year whose records retention began to delete keeps the figures it had then.
    figures = _with_store(lambda store: audited_figures(store, pack, args.year, today, operator()))
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
    from bot.reports.audit import operator
    from bot.reports.export import exported_rows, write_csv, write_xlsx

    content = load_content(_content_dir(args))
    pack = content.packs[_org(args, content.packs)]
    rows = _with_store(lambda store: exported_rows(store, pack, args.year, operator()))
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
    from bot.reports.audit import operator
    from bot.reports.kept import snapshot

    settings = Settings.from_env()
    content = load_content(_content_dir(args))

    async def run(store: Store) -> tuple[date, list]:
        retention = Retention(store, content, settings.retention_years, figures=snapshot)
        return retention.cutoff(store.clock.today()), await retention.run(dry_run=args.dry_run, by=operator())

    cutoff, items = _with_store(run)
    verb = "would delete" if args.dry_run else "deleted"
    for item in items:
        print(f"{item.org}\t{item.kind}\t{item.reference}\tsince {item.since:%d/%m/%Y}")
    print(f"Retention {settings.retention_years} years (before {cutoff:%d/%m/%Y}): {verb} {len(items)} records.")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Show the audit trail (of one case, or from a day on) and check its whole chain; exit 1 when it is broken."""
    from bot.reports.audit import audit_report, parse_day

    try:
        since = parse_day(args.since) if args.since else None
    except ValueError as exc:
        raise SettingsError(f"--since: {exc}") from None
    lines, intact = _with_store(lambda store: audit_report(store, args.case, since))
    print("\n".join(lines))
    return 0 if intact else 1


def cmd_search(args: argparse.Namespace) -> int:
    """Search one organisation's code; `--json` reads queries from stdin, one per line."""
    from bot.knowledge.lookup import SectionIndex, Synonyms
    from bot.knowledge.printing import print_search, search_json

    content = load_content(_content_dir(args))
    index = SectionIndex(content.packs[_org(args, content.packs)], Synonyms.build(content.synonyms))
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

    audit = sub.add_parser("audit", help="who did what to which case, and whether the trail is intact")
    audit.add_argument("--case", help="only the entries of this reference, such as M-2026-0001")
    audit.add_argument("--since", help="only the entries from this day on (2026-11-24 or 24/11/2026)")
    audit.set_defaults(func=cmd_audit)

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
