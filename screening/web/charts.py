"""Charts for the dashboard, drawn on the server as SVG by pygal: each is an image whose numbers are also in the
table beneath it, so no reader depends on it."""

from __future__ import annotations

import sys

import pygal
from pygal.style import Style

# pygal appends a sys.meta_path finder for its optional map plugins (not used here) that has no find_spec, so every
# later failed import in the process warns; take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

STYLE = Style(background="white", plot_background="white", foreground="#0b0c0c", foreground_strong="#0b0c0c",
              foreground_subtle="#505a5f", colors=("#1d70b8", "#d4351c", "#f47738", "#00703c", "#4c2c92", "#505a5f"),
              font_family="Arial, sans-serif", label_font_size=13, major_label_font_size=13, legend_font_size=13,
              title_font_size=16)
KINDS = {"stacked": pygal.StackedBar, "bars": pygal.Bar, "across": pygal.HorizontalBar}


def svg(kind: str, title: str, labels: list[str], series: list[tuple[str, list[int | None]]]) -> str:
    """One chart; a None value (a suppressed count) is left out."""
    drawing = KINDS[kind](style=STYLE, js=[], width=860, height=420, legend_at_bottom=True, show_y_guides=True,
                          legend_at_bottom_columns=2,  # two to a row: long names (and Welsh ones) never overlap
                          truncate_label=40, truncate_legend=60)
    drawing.title = title
    drawing.x_labels = labels
    for name, values in series:
        drawing.add(name, values)
    return str(drawing.render(is_unicode=True))
