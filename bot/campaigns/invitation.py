"""The message that asks someone to read and sign the code: its purpose and main points in its own words."""

from __future__ import annotations

from typing import Any

from bot.knowledge.basis import section_title
from bot.knowledge.packs import Pack, SigningPoint
from bot.knowledge.passages import sentences
from bot.vocabulary import living as say

MOST_POINTS = 5
READ_BUTTONS = 3  # "Lees: …" buttons under the message, beside confirm and question


def main_points(pack: Pack) -> tuple[SigningPoint, list[SigningPoint]]:
    """The code's purpose and its main points: from signing.yaml, or else the first sentence of its first sections
    (still the code's own words; an imported code has no signing.yaml until someone writes one)."""
    if pack.signing is not None:
        return pack.signing.purpose, list(pack.signing.points)
    firsts = []
    for section in pack.code.sections:
        spans = sentences(section.text.strip())
        if spans:
            start, end = spans[0]
            firsts.append(SigningPoint(section=section.id, quote=section.text.strip()[start:end].strip()))
    return firsts[0], firsts[1 : 1 + MOST_POINTS]


def statement(pack: Pack) -> str:
    """What the person confirms: the code's own signing text where it has one, else our default sentence."""
    signed = pack.signing.statement if pack.signing is not None else None
    if signed is not None:
        # A form's clause ("onderteken deze ethische code voor akkoord") is shown with its subject, the rest elided.
        quote = signed.quote if signed.quote[:1].isupper() else f"Ik (…) {signed.quote}"
        return say.INVITE_STATEMENT_CODE.format(quote=quote, title=section_title(pack, signed.section))
    return say.INVITE_STATEMENT_DEFAULT.format(org=pack.code.name)


def invitation(pack: Pack, owner: str | None, reference: str | None, reminder: bool = False) -> dict[str, Any]:
    """The neutral card of a campaign's message (or of the welcome, without owner and reference): what the code is
    for, its main points quoted with their sections, what is confirmed, and the buttons. It names nobody but the
    one who asks, and goes only to the person's own chat or mailbox."""
    org = pack.code.name
    purpose, points = main_points(pack)
    if reminder:
        intro = say.REMIND_INTRO.format(org=org)
    else:
        intro = say.INVITE_INTRO.format(owner=owner, org=org) if owner else say.WELCOME_INTRO.format(org=org)
    lines = [
        intro,
        say.INVITE_PURPOSE.format(quote=purpose.quote, title=section_title(pack, purpose.section)),
        say.INVITE_POINTS
        + "\n"
        + "\n".join(
            say.INVITE_POINT.format(quote=point.quote, title=section_title(pack, point.section)) for point in points
        ),
        statement(pack),
        say.INVITE_HOW,
    ]
    facts = [(say.FACT_VERSION, pack.code.version_label or "zoals nu geldend")]
    if reference:
        facts.append((say.FACT_CAMPAIGN, reference))
    read = list(dict.fromkeys(point.section for point in points))[:READ_BUTTONS]
    actions = [
        {"label": say.CONFIRM_LABEL, "value": say.CONFIRM_VALUE},
        {"label": say.QUESTION_LABEL, "value": say.QUESTION_VALUE},
    ]
    links = [{"label": say.READ_LABEL.format(title=section_title(pack, sid)), "value": f"sectie {sid}"} for sid in read]
    title = (say.REMIND_TITLE if reminder else say.INVITE_TITLE).format(org=org)
    return {"title": title, "body": "\n\n".join(lines), "facts": facts, "actions": actions, "links": links}
