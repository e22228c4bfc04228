"""The handler's overview: their open cases with the next deadline, overdue first, and gifts awaiting a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.cases.cards import gift_what
from bot.cases.deadlines import role_deadlines
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.storage.audit_rows import actor_of
from bot.storage.store import Store
from bot.vocabulary import messages as msg
from bot.vocabulary import people
from bot.vocabulary.markup import inert
from bot.vocabulary.turns import Card, Choice, Reply, UserRef
from dialogs import gift_texts as gt
from dialogs import texts as dt

SHOWN = 10  # rows on one card; the rest is counted, oldest deadlines first
BUTTONS = 5  # an "Openen" button for the first ones


@dataclass(frozen=True)
class Due:
    """A case's next deadline: what it is, the day, and whether it has passed."""

    label: str
    day: date
    overdue: bool


def next_deadline(pack: Pack, case: Any, today: date) -> Due | None:
    """The first deadline the case has not met yet: acknowledgement (or the code's reply term) while it is only
    received, else the feedback; None when no term binds its role."""
    role = pack.role(case.recipient_role)
    for label, day in role_deadlines(role, case.received_on):
        acknowledged = case.status != "ontvangen"
        if label.startswith(("Ontvangstbevestiging", "Reactie")) and acknowledged:
            continue
        return Due(label.removesuffix(" uiterlijk").lower(), day, day < today)
    return None


@dataclass
class Overview:
    """Answers 'meldingen' and 'geschenken' for the people who handle them; None for everybody else."""

    store: Store
    directory: Directory

    async def cases(self, pack: Pack, user: UserRef, today: date) -> Reply | None:
        """The open cases sent to the user's roles; None when the user fills no receiving role."""
        roles = self.directory.roles_of(pack.org, user.channel, user.user_id)
        if not roles:
            return None
        rows = [(case, next_deadline(pack, case, today)) for case in await self.store.open_cases(pack.org, roles)]
        await self._audit(pack, user, roles, f"meldingen: {len(rows)}")
        if not rows:
            return Reply(msg.OVERVIEW_NO_CASES)
        # Overdue first, then the nearest deadline, then the oldest; a case without a term last.
        rows.sort(key=lambda row: (not (row[1] and row[1].overdue), row[1].day if row[1] else date.max, row[0].id))
        facts = tuple((case.reference, _case_line(case, due)) for case, due in rows[:SHOWN])
        overdue = sum(1 for _, due in rows if due and due.overdue)
        body = msg.OVERVIEW_CASES_BODY.format(count=msg.counted(len(rows), "open melding", "open meldingen"))
        if overdue:
            body += " " + msg.OVERVIEW_OVERDUE.format(count=msg.counted(overdue, "melding", "meldingen"))
        if len(rows) > SHOWN:
            body += " " + msg.OVERVIEW_MORE.format(count=len(rows) - SHOWN)
        choices = tuple(Choice(f"Openen {case.reference}", f"melding {case.reference}") for case, _ in rows[:BUTTONS])
        text = body + "\n\n" + "\n".join(f"• {reference}: {line}" for reference, line in facts)
        return Reply(text, choices, card=Card(msg.OVERVIEW_CASES_TITLE, body, facts))

    async def gifts(self, pack: Pack, user: UserRef) -> Reply | None:
        """The gift declarations waiting on the user's decision; None when the user decides on none."""
        roles = self.directory.roles_of(pack.org, user.channel, user.user_id)
        undecided = await self.store.undecided_gifts(pack.org)
        mine = [gift for gift in undecided if _decides(self.directory, pack.org, gift, roles, user)]
        token = people.encode_on(user.channel, user.user_id)  # how a declaration stores the user it names
        if not mine and not roles and not await self.store.ever_named_manager(pack.org, token):
            return None
        await self._audit(pack, user, roles, f"geschenken: {len(mine)}")
        if not mine:
            return Reply(msg.OVERVIEW_NO_GIFTS)
        facts = tuple((gift.reference, _gift_line(gift)) for gift in mine[:SHOWN])
        body = msg.OVERVIEW_GIFTS_BODY.format(count=msg.counted(len(mine), "geschenk", "geschenken"))
        if len(mine) > SHOWN:
            body += " " + msg.OVERVIEW_MORE.format(count=len(mine) - SHOWN)
        text = body + "\n\n" + "\n".join(f"• {reference}: {line}" for reference, line in facts)
        return Reply(text, card=Card(msg.OVERVIEW_GIFTS_TITLE, body, facts))

    async def _audit(self, pack: Pack, user: UserRef, roles: set[str], shown: str) -> None:
        """The overview lists references, kinds and dates: on record like any access."""
        by = actor_of(user, roles, nobody="leidinggevende")
        await self.store.audit_by(by, "overview", org=pack.org, detail=shown)


def _case_line(case: Any, due: Due | None) -> str:
    """One case in the overview: kind, date received, status and the next deadline."""
    line = f"{dt.KIND_SHORT.get(case.kind, case.kind)}, binnen op {case.received_on:%d/%m/%Y}, status '{case.status}'"
    if due is None:
        return line
    return line + f"; {due.label} uiterlijk {due.day:%d/%m/%Y}" + (f" ({msg.OVERVIEW_LATE})" if due.overdue else "")


def _gift_line(gift: Any) -> str:
    """One declaration: who, what, from whom, how much, when, and the advice the employee was given (the same word
    as on the card and in the register)."""
    value = "waarde onbekend" if gift.value_eur is None else f"€ {gift.value_eur:.2f}".replace(".", ",")
    kind = inert(gift_what(gift.gift_kind, gift.description))
    advice = gt.ADVICE_SHORT.get(gift.advice, gift.advice)
    return (
        f"{inert(gift.employee_name)}: {kind} van {inert(gift.giver)}, {value}, gemeld {gift.declared_on:%d/%m/%Y};"
        f" advies van de bot: {advice}"
    )


def _decides(directory: Directory, org: str, gift: Any, roles: set[str], user: UserRef) -> bool:
    """Whether the user decides on a declaration: they fill its manager role, or the employee picked them (as the
    card actions allow)."""
    return gift.manager_role in roles or directory.is_named(org, gift.manager, user.channel, user.user_id)
