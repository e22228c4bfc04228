"""The review page's wording and look: names in Dutch, the style sheet, and small number and date formats."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.knowledge.packs import CaseKind, OrgType

MIN_SHARE = 0.95  # below this share of the source's words kept, text may have gone missing

ORG_TYPES = {
    OrgType.MUNICIPALITY: "gemeente",
    OrgType.OCMW: "OCMW",
    OrgType.INTERMUNICIPAL: "intergemeentelijke organisatie",
    OrgType.FLEMISH: "Vlaamse administratie",
    OrgType.ASSOCIATION: "private organisatie (vzw of bedrijf)",
}
CASE_KINDS = {
    CaseKind.RULE_BREACH: "Inbreuk op regels (fraude, corruptie, belangenvermenging)",
    CaseKind.BEHAVIOUR: "Grensoverschrijdend gedrag",
    CaseKind.MISUSE: "Misbruik van middelen of informatie",
    CaseKind.GIFT: "Geschenken en uitnodigingen",
    CaseKind.PRESS: "Contact met de pers",
    CaseKind.QUESTION: "Vraag of twijfel",
    CaseKind.CRIME: "Misdrijf",
}
GIFT_RULES = {
    "small": "Klein of symbolisch geschenk",
    "large": "Groter geschenk",
    "invitation": "Uitnodiging, maaltijd of evenement",
    "reward": "Beloning of tegenprestatie",
    "money": "Geld of waardebon",
    "pending": "Beslissing over de gever hangende",
    "doubt": "Twijfel",
}
GIFT_ADVICE = {
    "accept_and_report": "aannemen en melden",
    "accept_and_share": "aannemen, delen of afgeven, en melden",
    "discuss_first": "eerst bespreken",
    "refuse": "weigeren",
}
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
BULLETS = ("• ", "- ")

# The CSP forbids scripts and every fetch: should escaping ever miss, the code's text still cannot run or call out.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2933; line-height: 1.5;
  margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .5rem; border-bottom: 2px solid #d2d6dc; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
a { color: #1c5d99; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { color: #52606d; }
dl.facts dd { margin: 0; }
.intro, .note, .meta, .chapter { color: #52606d; }
.meta, .chapter, .note { font-size: .9rem; margin: .1rem 0; }
code { font-family: ui-monospace, Consolas, monospace; font-size: .8rem; background: #eef1f4; padding: 0 .25rem; }
blockquote { margin: .25rem 0 .75rem; padding: .25rem .75rem; border-left: 4px solid #9fb3c8; background: #f5f7fa; }
.badge, .missing { display: inline-block; border-radius: .75rem; padding: 0 .55rem; font-size: .8rem;
  font-weight: 600; vertical-align: middle; margin-left: .4rem; }
.badge { background: #fff3c4; color: #7a4b00; border: 1px solid #e0a800; }
.missing { background: #fde2e2; color: #8a1c1c; border: 1px solid #d64545; }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist > li { padding: .4rem .6rem; margin: .3rem 0; border-left: 4px solid #3f9142; background: #f3faf3; }
ul.checklist > li.open { border-color: #e0a800; background: #fffbea; }
p.done { padding: .5rem .75rem; border-left: 4px solid #3f9142; background: #f3faf3; }
ol.steps > li { margin-bottom: .5rem; }
p.basis { margin: .1rem 0 0; }
article { margin: 1.25rem 0; padding-top: .25rem; border-top: 1px solid #e4e7eb; }
article h3 { margin-top: .25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e4e7eb; }
footer { margin-top: 3rem; color: #7b8794; font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; }
  h2, h3 { break-after: avoid; }
  article, blockquote, li { break-inside: avoid; }
  .badge, .missing, ul.checklist > li { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
""".strip()


def badge(review: bool) -> str:
    """The "te controleren" mark of a proposal still to check."""
    return '<span class="badge">te controleren</span>' if review else ""


def bullets(heading: str, items: list[str]) -> str:
    """A list of markup items under a heading; nothing when empty."""
    # items are markup already escaped by the caller; an empty list shows nothing at all.
    if not items:
        return ""
    head = f"<p>{escape(heading)}:</p>" if heading else ""
    return head + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def count(number: int, one: str, many: str) -> str:
    """A number with its noun, singular or plural."""
    return f"{thousands(number)} {one if number == 1 else many}"


def thousands(number: int) -> str:
    """A whole number as Dutch writes it."""
    return f"{number:,}".replace(",", ".")  # Dutch groups thousands with a dot


def percent(share: float, decimals: int = 0) -> str:
    """A share as a Dutch percentage."""
    # Dutch writes a decimal comma; a non-breaking space keeps the number and its sign on one line.
    shown = f"{share * 100:.{decimals}f}".replace(".", ",").removesuffix(",0")
    return f"{shown}\u00a0%"


def day_text(day: date | None) -> str:
    """A day as Dutch writes it, in words."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "niet vermeld"
