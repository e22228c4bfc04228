"""The commands on what the service keeps: outbox, stats, gifts export, purge, keys and audit."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import content_dir, org_of, with_store
from bot.knowledge.content import load_content
from bot.settings import Settings, SettingsError
from bot.storage.outbox_rows import tag

if TYPE_CHECKING:
    import argparse

    from bot.storage.store import Store


def cmd_outbox(args: argparse.Namespace) -> int:
    """List notifications that wait for delivery or failed; `retry` puts the failed ones back in the queue."""

    async def outbox(store: Store) -> list | None:
        if args.action == "retry":
            print(f"{await store.retry_failed()} failed notifications queued again.")
            return None
        return await store.outbox_rows()

    rows = with_store(outbox)
    if rows is None:
        return 0
    if not rows:
        print("No pending or failed notifications.")
    for row in rows:
        recipient = row.recipient.get("name") or row.recipient.get("email") or "-"
        print(
            f"#{row.id} [{tag(row)}] {row.status:<8} {row.org} {row.reference} {row.kind}"
            f" to {row.recipient_role} ({recipient})"
            f" via {row.channel}, attempts {row.attempts}, next {row.next_attempt_at:%Y-%m-%d %H:%M:%S}"
            + (f", last error: {row.last_error}" if row.last_error else "")
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print or write one organisation's figures for a year's integrity report; only masked counts and shares."""
    from bot.clock import Clock
    from bot.reports.audit import operator
    from bot.reports.kept import audited_figures
    from bot.reports.stats import RENDERERS

    content = load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    today = Clock().today()  # a term that still runs today is not counted as missed
    # A year whose records retention began to delete keeps the figures it had then.
    figures = with_store(lambda store: audited_figures(store, pack, args.year, today, operator()))
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

    content = load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    rows = with_store(lambda store: exported_rows(store, pack, args.year, operator()))
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
    content = load_content(content_dir(args))

    async def run(store: Store) -> tuple[date, list]:
        retention = Retention(store, content, settings.retention_years, figures=snapshot)
        return retention.cutoff(store.clock.today()), await retention.run(dry_run=args.dry_run, by=operator())

    cutoff, items = with_store(run)
    verb = "would delete" if args.dry_run else "deleted"
    for item in items:
        print(f"{item.org}\t{item.kind}\t{item.reference}\tsince {item.since:%d/%m/%Y}")
    print(f"Retention {settings.retention_years} years (before {cutoff:%d/%m/%Y}): {verb} {len(items)} records.")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    """A new data key, every value re-encrypted; --new-secret also wraps the keys with a new server secret."""
    from bot.reports.audit import operator
    from bot.storage.secret import SecretError, ServerSecret, read_secret

    try:
        new = ServerSecret(read_secret(Path(args.new_secret))) if args.new_secret else None
    except SecretError as exc:
        raise SettingsError(f"--new-secret: {exc}") from None

    async def rotate(store: Store) -> list[str]:
        lines = await store.rotate(new)
        what = "data key and server secret" if new is not None else "data key"
        await store.audit_by(operator(), "key rotated", detail=what)
        return lines

    print("\n".join(with_store(rotate)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Show the audit trail (of one case, or from a day on) and check its whole chain; exit 1 when it is broken."""
    from bot.reports.audit import audit_report, parse_day

    try:
        since = parse_day(args.since) if args.since else None
    except ValueError as exc:
        raise SettingsError(f"--since: {exc}") from None
    lines, intact = with_store(lambda store: audit_report(store, args.case, since))
    print("\n".join(lines))
    return 0 if intact else 1
