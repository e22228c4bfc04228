"""Every notification card the bot sends in Teams, as the Adaptive Card JSON it posts, with fictional data."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.cases.actions import card_now
from bot.cases.cards import VERBS, addendum_card, contact_card, gift_card, report_card, update_card
from bot.cases.deadlines import add_days
from bot.cases.reminders import Due, escalation_card, reminder_card
from bot.channels.teams.deliverer import notification_card
from bot.knowledge.content import load_content
from bot.knowledge.packs import Pack
from bot.vocabulary import messages as msg
from bot.vocabulary.outcomes import ContactOutcome, GiftOutcome, Person, ReportOutcome
from dialogs.gift import advise, manager_role

DEFAULT_OUT = Path("/tmp/notification-cards")
ORG = "kortrijk"
TODAY = date(2026, 3, 2)
REPORT, GIFT, CONTACT = "M-2026-0007", "G-2026-0003", "V-2026-0002"


def _person(name: str, number: int) -> Person:
    """A fictional employee as Teams knows them, with a made-up Azure AD object id."""
    aad = f"00000000-0000-4000-8000-{number:012d}"
    return Person(name, "msteams", aad, f"a:1fictief{number}")


REPORTER, EMPLOYEE, REQUESTER = _person("Jan Peeters", 1), _person("Pieter Claeys", 2), _person("Sofie Maes", 3)
HANDLER, MANAGER, ADVISER = _person("Katrien Vandenberghe", 4), _person("Bart Desmet", 5), _person("Els Vercruysse", 6)


def neutral_cards(pack: Pack) -> dict[str, tuple[dict[str, Any], str]]:
    """Each neutral card and its addressee's Azure AD id, by output name, as intake and card actions build them."""
    report = ReportOutcome(
        org=ORG,
        kind="rule_breach",
        route_kind="rule_breach",
        recipient_role="algemeen-directeur",
        recipient_person=None,
        section="schendingen-regelgeving",
        description="Een collega laat een aannemer voorgaan bij een openbare aanbesteding.",
        when="vorige week",
        where="dienst openbare werken",
        evidence="nee",
        reporter=REPORTER,  # named, so the reporter gets 06 in their chat
    )
    answers = {"gift_kind": "gift", "giver_type": "supplier", "value": 25.0, "small": "ja", "conditions": "ja"}
    answers |= {"pending": "nee", "reward": "nee", "received": "ja"}
    advice = advise(pack, answers)
    gift = GiftOutcome(
        org=ORG,
        employee=EMPLOYEE,
        gift_kind=answers["gift_kind"],
        giver_type=answers["giver_type"],
        giver="Bouwbedrijf Vanhoutte nv",
        value_eur=answers["value"],
        small=answers["small"],
        pending=answers["pending"],
        reward=answers["reward"],
        received=answers["received"],
        advice=advice.advice.value,
        advice_section=advice.rule.section if advice.rule else None,
        manager_role=manager_role(pack).id,
        manager=None,
    )
    contact = ContactOutcome(
        org=ORG,
        role="vertrouwenspersoon",
        requester=REQUESTER,
        reach="via Teams, liefst na 15 uur",
        note="Spanningen in mijn team",
    )
    pending = SimpleNamespace(
        org=ORG,
        reference=REPORT,
        received_on=TODAY,
        status="ontvangen",
        recipient_role="algemeen-directeur",
        route_kind="rule_breach",
    )
    ack = VERBS["report"]["bevestigen"][2]
    decision = "akkoord"
    remark = "Deel de wijn gerust met het team."
    role = contact.role
    adviser_role = pack.role(role)
    return {
        "01-report": (report_card(pack, report, REPORT, TODAY), HANDLER.user_id),
        # CardActions._report after "Ontvangst bevestigen": the handler's card is replaced by this one.
        "02-report-acknowledged": (
            card_now(
                "report",
                SimpleNamespace(reference=REPORT, status="ontvangst bevestigd"),
                report_card(pack, report, REPORT, TODAY),
                msg.ACTION_DONE_BY.format(label=ack, actor=HANDLER.name, day=TODAY.strftime("%d/%m/%Y")),
            ),
            HANDLER.user_id,
        ),
        "03-addendum": (addendum_card(REPORT, TODAY), HANDLER.user_id),
        "04-gift": (gift_card(pack, gift, GIFT, TODAY), MANAGER.user_id),
        "05-contact": (contact_card(pack, contact, CONTACT, TODAY), ADVISER.user_id),
        # What CardActions sends the employee: the reporter (when named), the one who declared, the one who asked.
        "06-reporter-update": (
            update_card(msg.REPORT_UPDATE_TITLE.format(reference=REPORT), msg.ACK_FOR_REPORTER, REPORT),
            REPORTER.user_id,
        ),
        "07-employee-gift-decision": (
            update_card(
                msg.GIFT_UPDATE_TITLE.format(reference=GIFT),
                msg.GIFT_DECISION.format(reference=GIFT, decision=VERBS["gift"][decision][2])
                + f" {msg.REMARK}: {remark}",
                GIFT,
            ),
            EMPLOYEE.user_id,
        ),
        # The deadline watch: the handler's reminder on the last day to acknowledge, and the escalation that
        # follows when no acknowledgement came (here to the preventiedienst, as an example of a next role).
        "09-reminder": (reminder_card(pack, pending, Due("ack-0", add_days(TODAY, 7))), HANDLER.user_id),
        "09-escalation": (
            escalation_card(pack, pending, "preventiedienst", Due("escalate", add_days(TODAY, 7))),
            ADVISER.user_id,
        ),
        "08-employee-contact": (
            update_card(
                msg.CONTACT_UPDATE_TITLE.format(reference=CONTACT),
                msg.CONTACT_TAKEN.format(who=ADVISER.name, role=adviser_role.name.lower() if adviser_role else role),
                CONTACT,
            ),
            REQUESTER.user_id,
        ),
    }


def team_cards(pack: Pack) -> dict[str, dict[str, Any]]:
    """The cards of living the code: a campaign's message in a person's chat, and a team's dilemma poll before and
    after its close (fictional votes)."""
    from bot.campaigns.invitation import invitation
    from bot.channels.teams.polls import poll_card
    from bot.practice.polls import Polls

    dilemma = pack.dilemmas.dilemmas[0]
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    poll = SimpleNamespace(id="fictief-poll", closes_at=moment + timedelta(days=3), closed_at=None)
    polls = Polls(None, None, None)  # type: ignore[arg-type]  # only its view is used here
    votes = [2, 1, 1, 0][: len(dilemma.options)]
    votes[dilemma.answer] = 9
    closed = SimpleNamespace(id="fictief-poll", closes_at=poll.closes_at, closed_at=poll.closes_at)
    return {
        "10-signing-invitation": notification_card(invitation(pack, "Katrien Vandenberghe", "C-2026-0001")),
        "11-dilemma-poll": poll_card(polls.view(pack, dilemma, poll, [2, 3, 1, 0][: len(dilemma.options)])),
        "12-dilemma-answer": poll_card(polls.view(pack, dilemma, closed, votes)),
    }


def main() -> None:
    """Write each card's Adaptive Card JSON into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, (card, addressee) in neutral_cards(load_content().packs[ORG]).items():
        # As the deliverer (and the invoke's answer) does: the addressee's id lets Teams refresh the card for them.
        adaptive = notification_card(card, addressee)
        path = out / f"{name}.json"
        path.write_text(json.dumps(adaptive, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)
    for name, adaptive in team_cards(load_content().packs[ORG]).items():
        path = out / f"{name}.json"
        path.write_text(json.dumps(adaptive, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
