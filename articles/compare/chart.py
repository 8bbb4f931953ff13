"""The compare chart: one server-rendered SVG line per series, in counts or in shares.

# two series over Jan–May 2024 -> Chart(lines=[2 polylines of 5 points], x_ticks=[Jan 2024 … May 2024],
#                                      y_ticks=[0, 1, 2, 3], summary="Line chart of articles per month, …")
"""

import dataclasses

from ..axes import nice_scale, period_ticks
from .counts import Comparison, PeriodRow
from .params import Series

CHART_WIDTH, CHART_HEIGHT = 720, 300
NARROW_WIDTH = 360  # the phone layout: drawn at about its own size, so its text stays ~12 px high
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 64, 16, 244
PLOT_RIGHT_MARGIN = 28  # room for half of the last period's label, centred on its point
# (colour, dash pattern, marker): Okabe–Ito colours with at least 3:1 contrast on white, and a
# dash and marker of its own for each line, so no reader has to tell the lines apart by colour.
LINE_STYLES = (
    ("#0072b2", "", "circle"),
    ("#d55e00", "10 5", "square"),
    ("#007a5a", "2 4", "triangle"),
    ("#aa3377", "14 4 3 4", "diamond"),
    ("#1b1f24", "6 3 2 3 2 3", "triangle-down"),
)


@dataclasses.dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    marker: str  # SVG path data of the marker around (x, y)
    title: str  # "Vladimir Putin — Mar 2024: 2 articles (66.7% of all)"


@dataclasses.dataclass(frozen=True)
class ChartLine:
    series: Series
    colour: str
    dash: str
    points: list[ChartPoint]
    swatch_marker: str  # the marker for the legend's 36×12 swatch
    remove_url: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x},{point.y}" for point in self.points)


@dataclasses.dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclasses.dataclass(frozen=True)
class Chart:
    lines: list[ChartLine]
    x_ticks: list[Tick]  # regular periods (Jan, Apr, Jul, Oct …), each label centred on its points
    y_ticks: list[Tick]
    x_title: str
    y_title: str
    summary: str  # the aria-label: what the chart shows, in words
    width: int = CHART_WIDTH  # the geometry, so the template only fills in numbers
    height: int = CHART_HEIGHT
    left: int = PLOT_LEFT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM

    @property
    def right(self) -> int:
        return self.width - PLOT_RIGHT_MARGIN

    @property
    def y_label_x(self) -> int:
        return self.left - 6

    @property
    def x_label_y(self) -> int:
        return self.bottom + 18

    @property
    def x_title_y(self) -> int:
        return self.height - 8

    @property
    def middle_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def middle_y(self) -> int:
        return (self.top + self.bottom) // 2


def comparison_chart(comparison: Comparison, width: int = CHART_WIDTH, most_ticks: int = 6) -> Chart | None:
    """Lay out one line per series over the periods, in counts or in shares, `width` units wide."""
    if not comparison.rows:
        return None
    params, rows = comparison.params, comparison.rows
    share = params.measure == "share"
    values = [[(row.shares[i] or 0.0) if share else row.counts[i] for row in rows] for i in range(len(params.series))]
    step, top = nice_scale(max((max(line) for line in values), default=0), whole=not share)
    right = width - PLOT_RIGHT_MARGIN
    slot = (right - PLOT_LEFT) / len(rows)
    xs = [round(PLOT_LEFT + slot * (index + 0.5), 2) for index in range(len(rows))]

    def y_of(value: float) -> float:
        return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top, 2)

    crowd = len(rows) * CHART_WIDTH / width  # smaller markers when they crowd
    size = 4 if crowd <= 24 else 3 if crowd <= 48 else 2.5
    lines = []
    for index, series in enumerate(params.series):
        colour, dash, marker = LINE_STYLES[index % len(LINE_STYLES)]
        points = [
            ChartPoint(x, y_of(value), _marker(marker, x, y_of(value), size), _point_title(series, row, index))
            for x, value, row in zip(xs, values[index], rows)
        ]
        lines.append(ChartLine(series, colour, dash, points, _marker(marker, 18, 6), params.without(series).url()))
    x_ticks = [Tick(xs[i], rows[i].period.label) for i in period_ticks([row.period for row in rows], most_ticks)]
    y_ticks = [
        Tick(y_of(step * k), f"{step * k:g}%" if share else f"{step * k:g}")
        for k in range(round(top / step) + 1)
    ]
    return Chart(
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        x_title=comparison.granularity.capitalize(),
        y_title="Share of all articles (%)" if share else "Articles",
        summary=_summary(comparison, share),
        width=width,
    )


def _marker(shape: str, x: float, y: float, r: float = 4) -> str:
    """SVG path data of a marker centred on (x, y)."""
    if shape == "square":
        return f"M{x - r:g},{y - r:g}h{2 * r:g}v{2 * r:g}h{-2 * r:g}z"
    if shape == "triangle":
        return f"M{x:g},{y - r - 1:g}l{r + 1:g},{2 * r + 1:g}h{-2 * r - 2:g}z"
    if shape == "triangle-down":
        return f"M{x:g},{y + r + 1:g}l{r + 1:g},{-2 * r - 1:g}h{-2 * r - 2:g}z"
    if shape == "diamond":
        return f"M{x:g},{y - r - 1:g}l{r + 1:g},{r + 1:g}l{-r - 1:g},{r + 1:g}l{-r - 1:g},{-r - 1:g}z"
    return f"M{x - r:g},{y:g}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0z"


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _percent(share: float | None) -> str:
    return "no articles at all" if share is None else f"{share:.1f}% of all"


def _point_title(series: Series, row: PeriodRow, index: int) -> str:
    return f"{series.label} — {row.period.label}: {_articles(row.counts[index])} ({_percent(row.shares[index])})"


def _summary(comparison: Comparison, share: bool) -> str:
    """'Line chart of articles per month, Jan 2024 to May 2024. Vladimir Putin: 3 articles, most in Mar 2024 (2); …'"""
    rows = comparison.rows
    what = "share of all articles" if share else "articles"
    parts = []
    for index, series in enumerate(comparison.params.series):
        if share:
            peak = max(rows, key=lambda row: row.shares[index] or 0)
            value = f"{_percent(comparison.series_shares[index])} overall, highest in {peak.period.label} ({_percent(peak.shares[index])})"
        else:
            peak = max(rows, key=lambda row: row.counts[index])
            value = f"{_articles(comparison.series_totals[index])}, most in {peak.period.label} ({peak.counts[index]})"
        parts.append(f"{series.label}: {value}")
    span = f"{rows[0].period.label} to {rows[-1].period.label}"
    return f"Line chart of {what} per {comparison.granularity}, {span}. " + "; ".join(parts) + ". The table below gives every value."
