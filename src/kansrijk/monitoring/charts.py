"""Server-side PNG and SVG of a table's chart, drawn with matplotlib from the same description Chart.js gets.

matplotlib's object API (``Figure`` with the Agg canvas), not ``pyplot``: no global state between requests and no
display or network needed.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .presentation import Table

# The project's colours (STYLE.md: Rijkshuisstijl-like blue and red first), then distinct ones; lines also differ
# in marker and dash so the chart does not depend on colour alone.
COLOURS = ["#154273", "#a4001c", "#39870c", "#e17000", "#6f3a8c", "#007bc7", "#94710a", "#42145f", "#d52b1e",
           "#275937", "#673327", "#01689b"]
DASHES = ["-", "--", "-.", ":"]
MARKERS = ["s", "^", "o", "D", "v", "P", "X", "*"]
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def render(table: Table, fmt: str, *, subtitle: str = "") -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    chart = table.chart
    figure = Figure(figsize=(10, 5.5), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = chart["labels"]
    datasets = chart["datasets"]
    if chart["type"] == "bar":
        positions = range(len(labels))
        if chart.get("stacked"):
            bottom = [0.0] * len(labels)
            for index, dataset in enumerate(datasets):
                values = [v or 0 for v in dataset["data"]]
                axes.bar(positions, values, bottom=bottom, label=dataset["label"],
                         color=COLOURS[index % len(COLOURS)])
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            width = 0.8 / max(len(datasets), 1)
            for index, dataset in enumerate(datasets):
                axes.bar([p + index * width - 0.4 + width / 2 for p in positions],
                         [v if v is not None else 0 for v in dataset["data"]], width=width, label=dataset["label"],
                         color=COLOURS[index % len(COLOURS)], hatch=None if index < len(COLOURS) else "//")
        axes.set_xticks(list(positions), [str(label) for label in labels],
                        rotation=45 if len(labels) > 12 else 0)
    else:
        for index, dataset in enumerate(datasets):
            points = [(x, y) for x, y in zip(labels, dataset["data"], strict=True) if y is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, label=dataset["label"], color=COLOURS[index % len(COLOURS)],
                      linestyle=DASHES[index % len(DASHES)], drawstyle="steps-post" if chart.get("steps") else
                      "default", marker=None if chart.get("steps") else MARKERS[index % len(MARKERS)], markersize=4)
    if chart.get("y_max"):
        axes.set_ylim(0, chart["y_max"])
    axes.set_ylabel(chart.get("y_label", ""))
    if chart.get("x_label"):
        axes.set_xlabel(chart["x_label"])
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(table.title + (f"\n{subtitle}" if subtitle else ""), fontsize=11)
    if datasets:
        axes.legend(fontsize=8, loc="best", ncol=2 if len(datasets) > 6 else 1)
    figure.tight_layout()
    buffer = io.BytesIO()
    # No creation date in the file: the same figures give the same bytes.
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
