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


async def _people(args: argparse.Namespace, settings: Settings, store: Store, org: str) -> tuple[list[Member], str]:
    """Whom a campaign asks, and a name for them: a CSV list, a Teams team's members, or a Slack channel's."""
    if args.list:
        return read_people(Path(args.list)), args.audience or Path(args.list).stem
    if args.teams_team:
        from bot.channels.teams.roster import team_members

        seen = await store.tenant_of_org(org)
        service_url = (seen.service_url if seen else None) or settings.teams_service_url
        tenant = {o: t for t, o in settings.tenants.items()}.get(org) or (seen.tenant_id if seen else None)
        if not service_url:
            raise SettingsError(
                f"no Teams service URL known for '{org}' yet: someone of it must talk to the bot first, or set "
                "TEAMS_SERVICE_URL"
            )
        try:
            found = await team_members(settings, service_url, tenant, args.teams_team)
        except Exception as exc:
            raise SettingsError(
                f"Teams would not list the team's members ({type(exc).__name__}): is the app installed in that team?"
            ) from None
        return found, args.audience or f"Teams-team {args.teams_team}"
    from bot.channels.slack.endpoint import web_client, web_session
    from bot.channels.slack.team import channel_name, members_of

    if not settings.slack:
        raise SettingsError("Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")
    async with web_session() as session:
        client = web_client(settings, session)
        found = await members_of(client, args.slack_channel)
        audience = args.audience or await channel_name(client, args.slack_channel)
    if found is None:
        raise SettingsError("Slack would not list the channel's members: is the bot in that channel?")
    return found, audience


def cmd_campaign_start(args: argparse.Namespace) -> int:
    """Start a signing campaign for a CSV list, a Teams team or a Slack channel; the service delivers the messages."""
    from bot.reports.audit import operator

    settings, content = Settings.from_env(), load_content(content_dir(args))
    pack = content.packs[org_of(args, content.packs)]
    by = operator()

    async def start(store: Store):
        people, audience = await _people(args, settings, store, pack.org)
        service = _service(store, content, settings)
        started = await service.start(pack, by.actor, args.owner, audience, people, args.newcomers, args.remind_days)
        return started, audience

    started, audience = with_store(start)
    if started.already_running:
        print(f"Campaign {started.reference} for '{audience}' and this version is still running; nothing sent again.")
        return 0
    if not started.invited:
        print("Nobody to ask: the list is empty, or everyone on it signed before (--newcomers).", file=sys.stderr)
        return 2
    print(f"Started {started.reference}: {started.invited} people of {pack.org} get the code to read and sign.")
    if started.no_channel:
        print(f"{started.no_channel} of them no channel reaches (no Teams, Slack or e-mail set up): ask them yourself.")
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
    start = campaign_sub.add_parser("start", help="ask everyone on a list, in a Teams team or in a Slack channel")
    start.add_argument("--org", required=True)
    whom = start.add_mutually_exclusive_group(required=True)
    whom.add_argument("--list", help="CSV with naam;e-mail[;teams;slack], or one address per line")
    whom.add_argument("--teams-team", help="a Teams team's id (19:…@thread.tacv2): its members; the app must be in it")
    whom.add_argument("--slack-channel", help="a Slack channel's id (C…): its members; the bot must be in it")
    start.add_argument("--owner", required=True, help='who asks, as people read it ("De personeelsdienst")')
    start.add_argument("--audience", help="a name for them in the register (default: the file's, team's or channel's)")
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
