"""The `integriteitsbot campaign` commands: start a signing campaign from a list, see and export its register."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import content_dir, directory_of, org_of, with_store
from bot.knowledge.content import load_content
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.campaigns.service import Member
    from bot.storage.store import Store

COLUMNS = {
    "name": ("naam", "name", "volledige naam"),
    "email": ("e-mail", "email", "e-mailadres", "mail"),
    "teams_aad_id": ("teams", "teams_aad_id", "aad", "object id"),
    "slack_user_id": ("slack", "slack_user_id", "slack id"),
}


def read_people(path: Path) -> list[Member]:
    """People from a CSV (';' or ','): a header naming naam / e-mail / teams / slack, or one address per line."""
    from bot.campaigns.service import Member

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read the list {path}: {exc}") from None
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    where = {key: next((i for i, cell in enumerate(header) if cell in names), None) for key, names in COLUMNS.items()}
    if all(index is None for index in where.values()):  # no header: one e-mail address (or id) per line
        where, body = {"email": 0, "name": None, "teams_aad_id": None, "slack_user_id": None}, rows
    else:
        body = rows[1:]
    people, problems = [], []
    for number, row in enumerate(body, start=1 if body is rows else 2):

        def cell(key: str, row: list[str] = row) -> str | None:
            index = where.get(key)
            return row[index].strip() or None if index is not None and index < len(row) else None

        email, aad, slack = cell("email"), cell("teams_aad_id"), cell("slack_user_id")
        if email and "@" not in email:
            problems.append(f"line {number}: '{email}' is no e-mail address")
            continue
        if not (email or aad or slack):
            problems.append(f"line {number}: no e-mail address, Teams id or Slack id")
            continue
        name = cell("name") or email or aad or slack or ""
        people.append(Member(name=name, email=email, teams_aad_id=aad, slack_user_id=slack))
    for problem in problems:
        print(f"Skipped {problem}.", file=sys.stderr)
    return people


def _service(store: Store, content, settings: Settings):
    from bot.campaigns.service import Campaigns

    directory = directory_of(settings, content)
    return Campaigns(store, content, directory, {"log", *settings.notification_channels}, store.clock)


def cmd_campaign_start(args: argparse.Namespace) -> int:
    """Start a signing campaign for the people of a CSV list; the running service delivers the messages."""
    from bot.reports.audit import operator

    settings, content = Settings.from_env(), load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    people = read_people(Path(args.list))
    audience = args.audience or Path(args.list).stem
    by = operator()

    async def start(store: Store):
        service = _service(store, content, settings)
        return await service.start(pack, by.actor, args.owner, audience, people, args.newcomers, args.remind_days)

    started = with_store(start)
    if started.already_running:
        print(f"Campaign {started.reference} for '{audience}' and this version is still running; nothing sent again.")
        return 0
    if not started.invited:
        print("Nobody to ask: the list is empty, or everyone on it signed before (--newcomers).", file=sys.stderr)
        return 2
    print(f"Started {started.reference}: {started.invited} people of {pack.org} get the code to read and sign.")
    print(f"Follow it with 'integriteitsbot campaign show {started.reference} --org {pack.org}'.")
    return 0


def cmd_campaign_list(args: argparse.Namespace) -> int:
    """List an organisation's campaigns with their shielded figures."""
    settings, content = Settings.from_env(), load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    reply = with_store(lambda store: _service(store, content, settings).overview(pack))
    print(reply.text)
    return 0


def cmd_campaign_show(args: argparse.Namespace) -> int:
    """Who signed one campaign, and where things stand for who has not."""
    settings, content = Settings.from_env(), load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    from bot.reports.audit import operator

    by = operator()
    reply = with_store(lambda store: _service(store, content, settings).register(pack, args.reference.upper(), by))
    print(reply.text)
    return 0


def cmd_campaign_export(args: argparse.Namespace) -> int:
    """Write a campaign's register for the personnel file: CSV for Flemish Excel, or XLSX by the file's suffix."""
    from bot.campaigns.register import write_export
    from bot.reports.audit import operator

    content = load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    output = Path(args.output)
    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise SettingsError(f"{output}: the file must end in .csv or .xlsx")

    async def export(store: Store):
        found = await store.campaign(pack.org, args.reference.upper())
        if found is not None:
            detail = f"register {args.reference.upper()}: {len(found[1])} rijen"
            await store.audit_by(operator(), "exported", org=pack.org, detail=detail)
        return found

    found = with_store(export)
    if found is None:
        print(f"No campaign {args.reference} for '{pack.org}'.", file=sys.stderr)
        return 2
    write_export(*found, output)
    print(f"Wrote {output}: {len(found[1])} people of campaign {found[0].reference}.")
    return 0


def cmd_campaign_delete(args: argparse.Namespace) -> int:
    """Delete a campaign and its register, once it is in the personnel file (export it first); audited."""
    from bot.reports.audit import operator

    content = load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]

    async def delete(store: Store) -> int:
        gone = await store.delete_campaign(pack.org, args.reference)
        if gone:
            detail = f"register {args.reference.upper()}: {gone} rijen"
            await store.audit_by(operator(), "purged", org=pack.org, reference=args.reference.upper(), detail=detail)
        return gone

    gone = with_store(delete)
    if not gone:
        print(f"No campaign {args.reference} with a register for '{pack.org}'.", file=sys.stderr)
        return 2
    print(f"Deleted campaign {args.reference.upper()} and its register ({gone} people).")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The `campaign` command and its subcommands."""
    campaign = sub.add_parser("campaign", help="signing campaigns: ask people to read and sign the code")
    campaign_sub = campaign.add_subparsers(dest="campaign_command", required=True)
    start = campaign_sub.add_parser("start", help="ask everyone on a CSV list (e-mail addresses or chat ids)")
    start.add_argument("--org", required=True)
    start.add_argument("--list", required=True, help="CSV with naam;e-mail[;teams;slack], or one address per line")
    start.add_argument("--owner", required=True, help='who asks, as people read it ("De personeelsdienst")')
    start.add_argument("--audience", help="a name for the list in the register (default: the file's name)")
    start.add_argument("--newcomers", action="store_true", help="only people who never signed the code")
    start.add_argument(
        "--remind-days", type=int, default=7, help="remind after this many days, twice at most (0: never)"
    )
    start.set_defaults(func=cmd_campaign_start)
    listed = campaign_sub.add_parser("list", help="an organisation's campaigns with their figures")
    listed.add_argument("--org", required=True)
    listed.set_defaults(func=cmd_campaign_list)
    show = campaign_sub.add_parser("show", help="who signed one campaign")
    show.add_argument("reference")
    show.add_argument("--org", required=True)
    show.set_defaults(func=cmd_campaign_show)
    export = campaign_sub.add_parser("export", help="write a campaign's register (CSV or XLSX) for the personnel file")
    export.add_argument("reference")
    export.add_argument("--org", required=True)
    export.add_argument("-o", "--output", required=True, help="register.csv or register.xlsx")
    export.set_defaults(func=cmd_campaign_export)
    remove = campaign_sub.add_parser("delete", help="delete a campaign and its register (export it first)")
    remove.add_argument("reference")
    remove.add_argument("--org", required=True)
    remove.set_defaults(func=cmd_campaign_delete)
