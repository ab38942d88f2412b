"""Charts as SVG, drawn on the server by pygal, with no script: the page shows them as images.

pygal writes plain SVG from pure Python (about 1 MB installed, no compiled parts), where
matplotlib would add some 40 MB with numpy for the same few bar charts. Every chart's
numbers are also on the page as a table, for screen readers and for copying.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

import pygal
from pygal.style import Style

# pygal appends a finder to sys.meta_path for its old map-plugin names (pygal.maps.*),
# which the dashboard never imports. It lacks find_spec, so every import that reaches it
# (an optional module that is absent) warns; it is taken out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != pygal.__name__]

# pygal always writes its tooltip settings as an inline script; the page runs no script
# (its Content-Security-Policy forbids them), so the chart goes without.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)

# The dashboard's own colours (static/dashboard.css), readable in print too.
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d9dee3",
    colors=("#1d5c96", "#e07b00", "#3f8f3f", "#8c3f8f"),
    font_family="sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=15,
)


def bars(title: str, labels: Sequence[str], values: Sequence[int | None], empty: str = "") -> str:
    """Return a bar chart as SVG text; a hidden count (None) is drawn as no bar."""
    chart = pygal.Bar(
        no_data_text=empty,
        style=_STYLE,
        title=title,
        show_legend=False,
        width=720,
        height=300,
        x_label_rotation=-45 if len(labels) > 12 else 0,
        show_minor_x_labels=len(labels) <= 31,
        disable_xml_declaration=True,
        js=[],  # no script from anywhere: the chart is an image
    )
    chart.x_labels = list(labels)
    if len(labels) > 31:
        chart.x_labels_major = list(labels[:: max(1, len(labels) // 10)])
    chart.add(title, list(values))
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


def horizontal(
    title: str, labels: Sequence[str], values: Sequence[int | None], empty: str = ""
) -> str:
    """Return a horizontal bar chart as SVG text (languages, needs)."""
    chart = pygal.HorizontalBar(
        no_data_text=empty,
        style=_STYLE,
        title=title,
        show_legend=False,
        width=720,
        height=max(160, 40 * len(labels) + 80),
        disable_xml_declaration=True,
        js=[],
    )
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))
