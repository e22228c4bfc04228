"""The annual figures as text for a terminal, as JSON and as CSV; each shows only the masked values."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from bot.reports.figures import Figures

WIDTH = 100


def render_text(figures: Figures) -> str:
    """The figures in Dutch for a terminal: a heading per section, labels and values in aligned columns."""
    rows = [figure for section in figures.sections for figure in section.figures]
    label_width = max((len(figure.label) for figure in rows), default=0)
    value_width = max((len(figure.shown) for figure in rows), default=0)
    lines = [figures.title, "=" * len(figures.title), *textwrap.wrap(figures.intro, WIDTH)]
    for section in figures.sections:
        lines += ["", section.title, "-" * len(section.title)]
        lines += textwrap.wrap(section.note, WIDTH)
        lines += [f"  {figure.label:<{label_width}}  {figure.shown:>{value_width}}" for figure in section.figures]
    return "\n".join(lines) + "\n"


def render_json(figures: Figures) -> str:
    """The figures as JSON: a value is a number where shown, else the text that hides it ('< 3')."""
    document = {
        "org": figures.org,
        "org_name": figures.org_name,
        "year": figures.year,
        "as_of": figures.as_of.isoformat(),
        "title": figures.title,
        "note": figures.intro,
        "sections": [
            {
                "title": section.title,
                "note": section.note,
                "figures": [
                    {
                        "label": figure.label,
                        "value": figure.shown if figure.value is None else figure.value,
                        "unit": figure.unit,
                        "shown": figure.shown,
                    }
                    for figure in section.figures
                ],
            }
            for section in figures.sections
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_csv(figures: Figures) -> str:
    """The figures as CSV, one row per figure (onderdeel;cijfer;waarde), for Excel with Flemish settings."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Onderdeel", "Cijfer", "Waarde"])
    writer.writerow(["Verslag", "Organisatie", figures.org_name])
    writer.writerow(["Verslag", "Jaar", figures.year])
    writer.writerow(["Verslag", "Stand op", f"{figures.as_of:%d/%m/%Y}"])
    for section in figures.sections:
        for figure in section.figures:
            writer.writerow([section.title, figure.label, figure.shown])
    return out.getvalue()
