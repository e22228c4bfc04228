"""The annual figures as one self-contained HTML page: inline CSS and SVG bars, no scripts, nothing fetched."""

from __future__ import annotations

from html import escape

from bot.reports.figures import Figure, Figures, Section

BAR_WIDTH, BAR_HEIGHT = 240, 14
STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 52rem; }
main { padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .25rem; border-bottom: 1px solid #d2d6dc; padding-bottom: .2rem; }
p.intro { color: #52606d; }
p.note { color: #52606d; font-size: .9rem; margin: .25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: normal; padding: .2rem .75rem .2rem 0; width: 45%; }
td { padding: .2rem .5rem; vertical-align: middle; }
td.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; width: 8rem; }
svg rect.bar { fill: #2f6f9f; }
svg rect.track { fill: #eef1f4; }
footer { margin-top: 2rem; color: #7b8794; font-size: .8rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
""".strip()


def render_html(figures: Figures) -> str:
    """The figures as one Dutch HTML page with a horizontal bar per shown value; every text is escaped."""
    title = escape(figures.title)
    body = "\n".join(_section(section) for section in figures.sections)
    return f"""<!DOCTYPE html>
<html lang="nl-BE">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{STYLE}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="intro">{escape(figures.intro)}</p>
{body}
</main>
<footer>Gemaakt door de Integriteitsbot op {figures.as_of:%d/%m/%Y}.</footer>
</body>
</html>
"""


def _section(section: Section) -> str:
    # Counts share a scale within their section; shares run to 100 %; medians to the section's largest.
    largest = {
        unit: max((f.value for f in section.figures if f.unit == unit and f.value is not None), default=0)
        for unit in ("count", "days")
    }
    largest["percent"] = 100
    rows = "\n".join(_row(figure, largest[figure.unit]) for figure in section.figures)
    note = f'<p class="note">{escape(section.note)}</p>\n' if section.note else ""
    heading = f"<h2>{escape(section.title)}</h2>"
    return f"<section>\n{heading}\n{note}<table>\n<tbody>\n{rows}\n</tbody>\n</table>\n</section>"


def _row(figure: Figure, largest: float) -> str:
    return (
        f'<tr><th scope="row">{escape(figure.label)}</th><td>{_bar(figure, largest)}</td>'
        f'<td class="value">{escape(figure.shown)}</td></tr>'
    )


def _bar(figure: Figure, largest: float) -> str:
    """A bar in proportion to the largest value of its kind; a hidden value gets an empty track, no length."""
    length = 0 if figure.value is None or largest <= 0 else round(BAR_WIDTH * figure.value / largest)
    bar = f'<rect class="bar" x="0" y="0" width="{length}" height="{BAR_HEIGHT}"></rect>' if length else ""
    label = escape(f"{figure.label}: {figure.shown}", quote=True)
    return (
        f'<svg width="{BAR_WIDTH}" height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" role="img" '
        f'aria-label="{label}"><rect class="track" x="0" y="0" width="{BAR_WIDTH}" height="{BAR_HEIGHT}"></rect>'
        f"{bar}</svg>"
    )
