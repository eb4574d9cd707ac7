"""Charts drawn from a report's tables with matplotlib (Agg, no display): SVG for HTML and PDF, PNG for DOCX.

Colour-blind-safe (the Okabe–Ito palette), each with a title and axis labels; the SVG is deterministic (a
fixed hash salt, no date), so the same data draws the same bytes. Text in the SVG stays text, so the
browser or WeasyPrint shapes Arabic and Chinese with the page's fonts.
"""

from __future__ import annotations

import io
import re
import textwrap
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rcParams
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from hrtc.reports.document import Figure, Table

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FONTS = ["Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", "DejaVu Sans"]
WIDTH = 6.3  # inches: the text width of an A4 page with 2.5 cm margins
LABEL_CHARS = 42
TITLE_CHARS = 85  # a title line at 10 pt bold across the chart's width

rcParams.update(
    {
        "svg.hashsalt": "hrtc-reports",
        "svg.fonttype": "none",
        "font.family": FONTS,
        "font.size": 9,
        "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def _short(label: Any) -> str:
    text = str(label)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _draw(figure: Figure, table: Table, limit: int) -> MplFigure:
    index = {c.key: i for i, c in enumerate(table.columns)}
    labels = {c.key: c.label for c in table.columns}
    rows = table.rows[:limit]
    categories = [_short(row[index[figure.category]]) for row in rows]
    series = {s: [_number(row[index[s]]) for row in rows] for s in figure.series}
    horizontal = figure.kind.startswith("h")
    height = (
        max(2.4, 0.9 + 0.32 * len(rows) * (len(series) if "grouped" in figure.kind else 1))
        if horizontal
        else 3.2
    )
    fig = MplFigure(figsize=(WIDTH, min(height, 9.0)))
    ax = fig.add_subplot()
    title = textwrap.wrap(figure.title, TITLE_CHARS)
    fig.text(0.01, 1 - 0.08 / fig.get_size_inches()[1], "\n".join(title), ha="left", va="top", fontsize=10,
             fontweight="bold")  # fmt: skip
    positions = list(range(len(rows)))
    money = any(c.kind == "usd" for c in table.columns if c.key in series)

    if figure.kind == "line":
        for n, (key, values) in enumerate(series.items()):
            ax.plot(positions, values, marker="o", color=OKABE_ITO[n], label=labels[key])
        ax.set_ylim(bottom=0)
        ax.set_xticks(positions, categories)
    elif figure.kind in ("bar", "hbar"):
        key, values = next(iter(series.items()))
        bars = (ax.barh if horizontal else ax.bar)(positions, values, color=OKABE_ITO[0], label=labels[key])
        ax.bar_label(
            bars, labels=[table.cell(row, table.columns[index[key]]) for row in rows], padding=2, fontsize=7
        )
    elif figure.kind in ("stacked", "hstacked"):
        bottom = [0.0] * len(rows)
        for n, (key, values) in enumerate(series.items()):
            draw = ax.barh if horizontal else ax.bar
            extra = {"left": bottom} if horizontal else {"bottom": bottom}
            draw(positions, values, color=OKABE_ITO[n], label=labels[key], **extra)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    else:  # grouped, hgrouped
        width = 0.8 / max(len(series), 1)
        for n, (key, values) in enumerate(series.items()):
            offset = [p - 0.4 + width * (n + 0.5) for p in positions]
            (ax.barh if horizontal else ax.bar)(offset, values, width, color=OKABE_ITO[n], label=labels[key])

    longest = max(map(len, categories), default=1)
    tilted = not horizontal and sum(map(len, categories)) > 50
    if figure.kind != "line":
        if horizontal:
            ax.set_yticks(positions, categories)
            ax.invert_yaxis()
        else:
            ax.set_xticks(
                positions, categories, rotation=30 if tilted else 0, ha="right" if tilted else "center"
            )
    value_axis = ax.xaxis if horizontal else ax.yaxis
    value_axis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    value_axis.set_major_locator(MaxNLocator(nbins=6 if horizontal else 8, integer=not money))
    ax.set_xlabel(figure.xlabel or ("" if horizontal else labels.get(figure.category, "")))
    ax.set_ylabel(figure.ylabel or (labels.get(figure.category, "") if horizontal else ""))
    legend = len(series) > 1
    if legend:  # above the plot, under the title: never over the bars
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=len(series), fontsize=7, frameon=False)
    # Margins from the longest category label (a layout engine measures every text several times: slow).
    inches = fig.get_size_inches()
    top = 1 - (0.2 + 0.19 * len(title) + (0.25 if legend else 0)) / inches[1]
    if horizontal:
        fig.subplots_adjust(left=min(0.5, (0.45 + 0.068 * longest) / inches[0]), right=0.96, top=top,
                            bottom=0.55 / inches[1])  # fmt: skip
    else:
        fig.subplots_adjust(left=0.85 / inches[0], right=0.97, top=top,
                            bottom=(0.5 + (0.045 * longest if tilted else 0.15)) / inches[1])  # fmt: skip
    return fig


def svg(figure: Figure, table: Table, limit: int = 12) -> str:
    """The chart as an inline SVG element with a text alternative (role=img, aria-label)."""
    if not figure.svg:
        out = io.StringIO()
        _draw(figure, table, limit).savefig(out, format="svg", metadata={"Date": None})
        text = out.getvalue()
        text = text[text.index("<svg") :]
        text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
        # Several charts share one page: give each its own ids (matplotlib numbers them per figure).
        prefix = re.sub(r"[^A-Za-z0-9_-]", "-", figure.key)
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
        text = re.sub(r"(href=\"|url\()#([^\")]+)", rf"\1#{prefix}-\2", text)
        alt = figure.alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        figure.svg = text.replace("<svg ", f'<svg role="img" aria-label="{alt}" class="chart" ', 1)
    return figure.svg


def png(figure: Figure, table: Table, limit: int = 12) -> bytes:
    if not figure.png:
        out = io.BytesIO()
        _draw(figure, table, limit).savefig(out, format="png", dpi=150, metadata={"Software": None})
        figure.png = out.getvalue()
    return figure.png
