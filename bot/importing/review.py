"""The review page: one self-contained Dutch HTML page on which the integrity officer checks an imported pack."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.importing.report import Changes, ImportReport
from bot.importing.review_style import (
    BULLETS,
    CASE_KINDS,
    CSP,
    GIFT_ADVICE,
    GIFT_RULES,
    MIN_SHARE,
    ORG_TYPES,
    STYLE,
    badge,
    bullets,
    count,
    day_text,
    percent,
    thousands,
)
from bot.knowledge.basis import LAW_NAMES
from bot.knowledge.packs import Basis, BasisKind, CaseKind, GiftRule, Pack, Role, Section


def render_review(pack: Pack, report: ImportReport | None, unstaffed: list[str]) -> str:
    """The whole review page for a pack, its import report (None for a pack written by hand) and unstaffed roles."""
    title = f"Nakijken: {pack.code.name}"
    parts = [
        _header(pack, report),
        _checklist(pack, report, unstaffed),
        _changes(pack, report.changes) if report and report.changes else "",
        _routes(pack, unstaffed),
        _gifts(pack),
        _roles(pack, unstaffed),
        _sections(pack),
        _leftovers(report) if report else "",
        _history(report) if report and report.history else "",
    ]
    body = "\n".join(part for part in parts if part)
    return f"""<!DOCTYPE html>
<html lang="nl-BE">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{STYLE}
</style>
</head>
<body>
<main>
{body}
</main>
<footer>Gemaakt door de Integriteitsbot. Deze pagina staat op zichzelf: ze laadt niets en je kunt ze afdrukken.</footer>
</body>
</html>
"""


def _header(pack: Pack, report: ImportReport | None) -> str:
    code = pack.code
    version = code.version or (report.version if report else None)
    adopted = code.adopted or (report.adopted if report else None)
    facts = [("Organisatie", code.name), ("Soort", ORG_TYPES[code.type])]
    facts += [("Versie van de code", version or "niet vermeld"), ("Datum van de code", day_text(adopted))]
    if report:
        facts += [("Bronbestand", f"{report.source} ({report.format})"), ("Ingelezen op", day_text(report.imported))]
        facts += [("Pagina's", str(report.pages) if report.pages else "niet van toepassing")]
    else:
        facts += [("Bron", code.source), ("Ingelezen", "niet ingelezen: dit pakket is met de hand gemaakt")]
    rows = "\n".join(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in facts)
    return (
        f"<header>\n<h1>{escape('Nakijken: ' + code.name)}</h1>\n"
        '<p class="intro">Op deze pagina zie je wat de Integriteitsbot uit jullie code haalt. Kijk alles na voor '
        "de bot ermee antwoordt. Klopt er iets niet? Geef het door aan wie het pakket beheert.</p>\n"
        f'<dl class="facts">\n{rows}\n</dl>\n</header>'
    )


def _checklist(pack: Pack, report: ImportReport | None, unstaffed: list[str]) -> str:
    problems = [_proposals_item(pack), _unstaffed_item(pack, unstaffed)]
    problems += [_unplaced_item(report), _share_item(report)] if report else []
    done = ""
    if not any(item.startswith('<li class="open">') for item in problems):
        done = (
            '<p class="done">Er staat niets meer open: alle voorstellen zijn nagekeken, elke rol heeft een '
            "contactpersoon en de tekst staat in de secties. Lees de secties nog een keer door, dan is het "
            "pakket klaar.</p>\n"
        )
    # The headings are worth a look on every imported pack: the import guessed where each section starts.
    what = count(len(pack.code.sections), "sectie", "secties")
    headings = f'Kijk de koppen van de <a href="#secties">{what}</a> na: kloppen de titels en de hoofdstukken?'
    items = "".join(problems) + (_item(headings) if report else "")
    checklist = f'<ul class="checklist">\n{items}</ul>\n' if items else ""
    return f'<section id="nakijken">\n<h2>Wat je nog moet nakijken</h2>\n{done}{checklist}</section>'


def _proposals_item(pack: Pack) -> str:
    links = [
        f'<a href="#{anchor}">{escape(CASE_KINDS[kind])}: {escape(name)}</a>'
        for kind, name, anchor in _review_steps(pack)
    ]
    gifts = pack.gifts.rules() if pack.gifts else []
    links += [
        f'<a href="#gift-{name}">Geschenken: {escape(GIFT_RULES[name])}</a>' for name, rule in gifts if rule.review
    ]
    if not links:
        return ""
    what = count(len(links), "voorstel", "voorstellen")
    return _item(
        f"{what} om te controleren, door de import zelf uit de code gehaald. Kloppen de rol en het citaat?", links
    )


def _unstaffed_item(pack: Pack, unstaffed: list[str]) -> str:
    if not unstaffed:
        return ""
    links = [f'<a href="#r-{escape(role)}">{escape(_role_name(pack, role))}</a>' for role in unstaffed]
    what = count(len(links), "rol", "rollen")
    text = f"{what} zonder contactpersoon. Meldingen komen daar nog bij niemand aan: vul iemand in bij de contacten."
    return _item(text, links)


def _unplaced_item(report: ImportReport) -> str:
    if not report.unplaced:
        return ""
    unplaced = len(report.unplaced)
    what = f"{count(unplaced, 'zin', 'zinnen')} uit de bron {'staat' if unplaced == 1 else 'staan'}"
    return _item(f'<a href="#niet-geplaatst">{what}</a> in geen enkele sectie. Horen ze ergens bij?')


def _share_item(report: ImportReport) -> str:
    low = report.share < MIN_SHARE
    kept = f"{thousands(report.kept)} van {thousands(report.words)}"
    share = f"{percent(report.share, 1)} van de woorden uit de bron staat in een sectie ({kept})."
    share += f" Dat is minder dan {percent(MIN_SHARE)}: kijk na wat er ontbreekt." if low else ""
    return _item(share, open_=low)


def _review_steps(pack: Pack) -> list[tuple[CaseKind, str, str]]:
    """(kind, role name, anchor) of every route step the import proposed and nobody confirmed yet."""
    return [
        (route.kind, _role_name(pack, step.role), f"route-{route.kind.value}-{index}")
        for route in pack.routing.routes
        for index, step in enumerate(route.roles, 1)
        if step.review
    ]


def _item(text: str, links: Iterable[str] = (), open_: bool = True) -> str:
    # text and links are markup built here from escaped values; an open item still needs the officer.
    sub = "".join(f"<li>{link}</li>" for link in links)
    sub = f"<ul>{sub}</ul>" if sub else ""
    return f'<li class="{"open" if open_ else "ok"}">{text}{sub}</li>\n'


def _changes(pack: Pack, changes: Changes) -> str:
    since = f"versie {changes.previous}" if changes.previous else "de vorige versie"
    parts = [f'<section id="veranderd">\n<h2>{escape("Wat is er veranderd sinds " + since)}</h2>']
    parts.append(bullets("Nieuwe secties", [_titled_link(pack, title) for title in changes.added]))
    parts.append(bullets("Verdwenen secties", [escape(title) for title in changes.removed]))
    reworded = [
        f"{_section_link(pack, item.id, item.title)}: {percent(item.similarity)} van de tekst bleef hetzelfde"
        for item in changes.reworded
    ]
    parts.append(bullets("Anders verwoorde secties", reworded))
    parts.append(bullets("Routes en geschenkregels die je opnieuw moet bekijken", [escape(s) for s in changes.routes]))
    if not (changes.added or changes.removed or changes.reworded or changes.routes):
        parts.append("<p>De secties en de routes zijn niet veranderd.</p>")
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _routes(pack: Pack, unstaffed: list[str]) -> str:
    parts = [
        '<section id="routes">\n<h2>Wie krijgt welke melding</h2>',
        '<p class="intro">Per soort melding stelt de bot deze rollen voor, in deze volgorde.</p>',
    ]
    for kind in CaseKind:
        if not pack.has_route(kind):
            continue
        steps = []
        for index, step in enumerate(pack.route(kind).roles, 1):
            name = f"<strong>{escape(_role_name(pack, step.role))}</strong>"
            name += '<span class="missing">nog niemand ingevuld</span>' if step.role in unstaffed else ""
            name += badge(step.review)
            steps.append(f'<li id="route-{kind.value}-{index}">{name}{_basis(pack, step)}</li>')
        parts.append(f'<h3 id="route-{kind.value}">{escape(CASE_KINDS[kind])}</h3>')
        parts.append('<ol class="steps">\n' + "\n".join(steps) + "\n</ol>")
    parts.append("</section>")
    return "\n".join(parts)


def _gifts(pack: Pack) -> str:
    head = '<section id="geschenken">\n<h2>Geschenken en uitnodigingen</h2>'
    if pack.gifts is None:
        return (
            f"{head}\n<p>De code zegt niets over geschenken en uitnodigingen. Vraagt iemand ernaar, dan zegt de bot "
            "dat eerlijk. Hij geeft dan algemeen advies en zegt er duidelijk bij dat het algemeen advies is, geen "
            "regel uit jullie code.</p>\n</section>"
        )
    parts = [head]
    if pack.code.small_value_limit_eur:
        limit = f"{pack.code.small_value_limit_eur:.2f}".replace(".", ",").removesuffix(",00")
        parts.append(f"<p>Grens voor een klein geschenk volgens de code: €\u00a0{limit}.</p>")
    rules = dict(pack.gifts.rules())
    for name, label in GIFT_RULES.items():
        rule = rules.get(name)
        parts.append(f'<h3 id="gift-{name}">{escape(label)}{badge(rule is not None and rule.review)}</h3>')
        silent = "<p>De code zegt hier niets apart over. De bot geeft algemeen advies en zegt dat erbij.</p>"
        parts.append(_gift_rule(pack, rule) if rule is not None else silent)
    examples = [escape(example) for example in pack.gifts.small_examples]
    parts.append(bullets("Voorbeelden van kleine geschenken uit de code", examples))
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _gift_rule(pack: Pack, rule: GiftRule) -> str:
    advice = f"<p>Advies: <strong>{escape(GIFT_ADVICE[rule.advice.value])}</strong></p>"
    basis = _code_basis(pack, rule.section, rule.quote)
    conditions = bullets("Voorwaarden uit de code", [escape(c) for c in rule.conditions])
    also = bullets("De bot vermeldt ook", [escape(a) for a in rule.also])
    return advice + basis + conditions + also


def _roles(pack: Pack, unstaffed: list[str]) -> str:
    parts = ['<section id="rollen">\n<h2>Rollen en contactgegevens</h2>']
    parts += [_role(pack, role, role.id in unstaffed) for role in pack.contacts.roles]
    parts.append("</section>")
    return "\n".join(parts)


def _role(pack: Pack, role: Role, empty: bool) -> str:
    missing = '<span class="missing">nog niemand ingevuld</span>' if empty else ""
    facts: list[tuple[str, str]] = []
    if role.aliases:
        facts.append(("Ook genoemd", escape(", ".join(role.aliases))))
    if role.personal:
        facts.append(("Persoonlijk", f"ja: elke medewerker noemt zijn of haar eigen {escape(role.name.lower())}"))
    if role.reporting_point is not None:
        facts.append(("Intern meldpunt", "ja" + _basis(pack, role.reporting_point)))
    if role.response is not None:
        facts.append(("Termijn om te antwoorden", f"{role.response.days} dagen" + _basis(pack, role.response)))
    if role.section:
        facts.append(("Genoemd in", _section_link(pack, role.section)))
    contact = [escape(value) for value in [*role.phone, *role.email, *([role.address] if role.address else [])]]
    if role.url:
        # Only a web address becomes a link: a 'javascript:' or other scheme from the source stays plain text.
        url = escape(role.url)
        contact.append(f'<a href="{url}">{url}</a>' if role.url.startswith(("https://", "http://")) else url)
    facts.append(("Contact in de code", "<br>".join(contact) or "de code geeft geen contactgegevens"))
    rows = "\n".join(f"<dt>{escape(name)}</dt><dd>{value}</dd>" for name, value in facts)
    description = f'<p class="note">{escape(role.description)}</p>' if role.description else ""
    return (
        f'<article id="r-{escape(role.id)}">\n<h3>{escape(role.name)}{missing}</h3>\n'
        f'<p class="meta"><code>{escape(role.id)}</code></p>\n{description}\n<dl class="facts">\n{rows}\n</dl>\n'
        "</article>"
    )


def _sections(pack: Pack) -> str:
    total = len(pack.code.sections)
    parts = [f'<section id="secties">\n<h2>De secties van de code ({total})</h2>']
    parts += [_section(number, section) for number, section in enumerate(pack.code.sections, 1)]
    parts.append("</section>")
    return "\n".join(parts)


def _section(number: int, section: Section) -> str:
    chapter = f'<p class="chapter">{escape(section.chapter)}</p>\n' if section.chapter else ""
    words = count(len(section.text.split()), "woord", "woorden")
    keywords = (
        f'<p class="note">Extra zoekwoorden (de bot toont ze nooit als tekst van de code): '
        f"{escape(', '.join(section.keywords))}</p>\n"
        if section.keywords
        else ""
    )
    return (
        f'<article id="s-{escape(section.id)}">\n{chapter}<h3>{number}. {escape(section.title)}</h3>\n'
        f'<p class="meta"><code>{escape(section.id)}</code> · {words}</p>\n{_text(section.text)}\n{keywords}</article>'
    )


def _text(text: str) -> str:
    """A section's text: blank lines end a paragraph, lines starting with a bullet become a list."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            flush()
        elif line.startswith(BULLETS):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(blocks)


def _leftovers(report: ImportReport) -> str:
    unplaced = bullets("", [escape(sentence) for sentence in report.unplaced]) or (
        "<p>Elke zin uit de bron staat in een sectie.</p>"
    )
    removed = bullets("", [escape(line) for line in report.removed])
    numbers = count(report.page_numbers, "paginanummer", "paginanummers")
    return (
        '<section id="niet-geplaatst">\n<h2>Niet in een sectie beland</h2>\n'
        "<p>Deze zinnen stonden in de bron, maar de import zette ze in geen enkele sectie.</p>\n"
        f"{unplaced}\n</section>\n"
        '<section id="paginaopmaak">\n<h2>Weggelaten als paginaopmaak</h2>\n'
        "<p>Deze regels kwamen op elke pagina terug. De import liet ze weg als kop- of voettekst.</p>\n"
        f"{removed or '<p>Geen kop- of voetteksten weggelaten.</p>'}\n"
        f"<p>Ook weggelaten: {numbers}.</p>\n</section>"
    )


def _history(report: ImportReport) -> str:
    rows = "\n".join(
        f"<tr><td>{escape(v.version)}</td><td>{escape(day_text(v.adopted))}</td><td>{escape(day_text(v.imported))}</td>"
        f"<td>{escape(v.source)}</td><td><code>{escape(v.sha256[:12])}</code></td></tr>"
        for v in report.history
    )
    return (
        '<section id="versies">\n<h2>Eerdere versies</h2>\n<table>\n<thead><tr><th>Versie</th><th>Datum van de code'
        "</th><th>Ingelezen op</th><th>Bestand</th><th>Vingerafdruk</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )


def _basis(pack: Pack, basis: Basis) -> str:
    """Where a step, reporting point or term comes from, worded as the bot words it."""
    if basis.basis == BasisKind.CODE:
        return _code_basis(pack, basis.section or "", basis.quote or "")
    if basis.basis == BasisKind.LAW and basis.law is not None:
        return f'<p class="basis">volgens de wet: {escape(LAW_NAMES[basis.law])}</p>'
    return '<p class="basis">onze standaardkeuze: de code noemt hiervoor niemand</p>'


def _code_basis(pack: Pack, section_id: str, quote: str) -> str:
    return (
        f'<p class="basis">uit de code: {_section_link(pack, section_id)}</p><blockquote>{escape(quote)}</blockquote>'
    )


def _section_link(pack: Pack, section_id: str, title: str | None = None) -> str:
    section = pack.section(section_id)
    if section is None:  # a section that is gone (a removed one in the changes): its title, without a link
        return escape(title or section_id)
    return f'<a href="#s-{escape(section.id)}">{escape(section.title)}</a>'


def _titled_link(pack: Pack, title: str) -> str:
    section = next((s for s in pack.code.sections if s.title == title), None)
    return _section_link(pack, section.id) if section else escape(title)


def _role_name(pack: Pack, role_id: str) -> str:
    role = pack.role(role_id)
    return role.name if role is not None else role_id
