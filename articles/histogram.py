"""A date histogram of a result set: bars by year, month or day depending on the span, each a link.

# months {"2023-11": 1, "2024-03": 2}, no date filter -> month bars Nov 2023 … Mar 2024 (empty months included),
#   a scale of 0, 1, 2 and labels under the regular ticks; the page draws it in HTML and CSS, so its
#   text stays legible at any width and every count is on the page, not only in a tooltip.
"""

import calendar
import dataclasses
import datetime
from collections.abc import Iterable
from html import escape
from typing import NamedTuple

from django.template.defaultfilters import pluralize
from django.utils.safestring import SafeString, mark_safe

from .axes import nice_scale, period_ticks
from .forms import SearchFilters, ViewLinks

DAY_BARS_UP_TO = 32  # days in the range: up to a month, one bar per day (more would be bars under 24 px wide)
MONTH_BARS_UP_TO = 36  # months in the range: up to three years, one bar per month
MIN_SLOTS = 12  # fewer bars keep the width of one in twelve: one month of results is not one giant bar
# More bars than this are too narrow to read or tap on a phone: there they are drawn without
# links and counts (the Years and Months filters narrow the dates), on wide screens with both.
COUNTS_ON_PHONES_UP_TO = 12
YEAR_BARS_UP_TO = 100  # years in the range; a wider one (from=0001-01-01) is cut to the years with articles


class Period(NamedTuple):
    key: str  # "2024", "2024-03" or "2024-03-01": the key of its count
    label: str  # "2024", "Mar 2024" or "1 Mar 2024"
    start: datetime.date
    end: datetime.date

    @property
    def granularity(self) -> str:
        return "day" if len(self.key) == 10 else "month" if len(self.key) == 7 else "year"


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str  # "Mar 2024"
    count: int
    url: str  # the view narrowed to this bar's dates
    height: float  # percent of the scale's top
    axis_label: str = ""  # shown under the bar when it is one of the regular ticks
    minor: bool = False  # an axis label left out on narrow screens (every other one)


@dataclasses.dataclass(frozen=True)
class ScaleLine:
    value: int
    position: float  # percent of the plot's height, from the bottom


@dataclasses.dataclass(frozen=True)
class Histogram:
    granularity: str  # "year" | "month" | "day"
    bars: list[Bar]
    first_label: str
    last_label: str
    max_count: int
    scale: list[ScaleLine]  # gridlines with their values, 0 first

    @property
    def slot_width(self) -> float:
        """Percent of the width per bar: a few bars stay as narrow as MIN_SLOTS would make them."""
        return round(100 / max(len(self.bars), MIN_SLOTS), 3)

    @property
    def dense(self) -> bool:
        """Too many bars for a count above each, or a link each, on a phone (the scale still gives them)."""
        return len(self.bars) > COUNTS_ON_PHONES_UP_TO

    # Bars, axis and scale render themselves: as template loops they were ~0.5 ms of a results page, most of it
    # Django localising every number (and a CSS percentage must not take a locale's decimal comma anyway).
    # tests/test_histogram.py compares them with the loops they replaced.

    @property
    def bar_items(self) -> SafeString:
        """The <li> of each bar: its column linking to its dates, with its count (a dense plot adds a static copy)."""
        width, dense = self.slot_width, self.dense
        return mark_safe("".join(_bar_item(bar, width, dense) for bar in self.bars))

    @property
    def axis_items(self) -> SafeString:
        """The <li> under each bar: the bar's label where it is a tick."""
        width = self.slot_width
        return mark_safe("".join(f'<li style="flex-basis: {width}%">{_tick(bar)}</li>' for bar in self.bars))

    @property
    def scale_items(self) -> SafeString:
        """The <li> of each gridline, with its value."""
        return mark_safe("".join(f'<li style="bottom: {line.position}%"><span>{line.value}</span></li>' for line in self.scale))


MINOR_TICK = ' class="histogram__tick--minor"'


def _tick(bar: Bar) -> str:
    if not bar.axis_label:
        return ""
    return f'<span{MINOR_TICK if bar.minor else ""}>{escape(bar.axis_label)}</span>'


def _bar_item(bar: Bar, width: float, dense: bool) -> str:
    label = escape(bar.label)
    if not bar.count:
        return f'<li style="flex-basis: {width}%"><span class="visually-hidden">No articles, {label}</span></li>'
    articles = f"article{pluralize(bar.count)}, {label}"
    item = (f'<li style="flex-basis: {width}%"><a class="histogram__column" href="{escape(bar.url)}">'
            f'<span class="histogram__bar" style="height: {bar.height}%"><span class="histogram__count">{bar.count}</span></span>'
            f'<span class="visually-hidden"> {articles}</span></a>')
    if dense:
        item += (f'<span class="histogram__column histogram__column--static"><span class="histogram__bar" style="height: {bar.height}%">'
                 f'</span><span class="visually-hidden">{bar.count} {articles}</span></span>')
    return item + "</li>"


def wants_days(filters: SearchFilters) -> bool:
    """Tell whether the view's date range is short enough for one bar per day."""
    return bool(filters.date_from and filters.date_to and (filters.date_to - filters.date_from).days < DAY_BARS_UP_TO)


def date_histogram(filters: SearchFilters, months: dict[str, int], days: dict[str, int] | None = None) -> Histogram | None:
    """Build the bars for the view from month counts (and day counts for short ranges)."""
    if not months:
        return None
    periods = date_periods(filters, months, with_days=days is not None)
    return _layout(filters, periods, period_counts(periods, months, days))


def date_periods(filters: SearchFilters, months: Iterable[str], with_days: bool = False) -> list[Period]:
    """The periods to draw for the view: days (short ranges, when counted), months, or years."""
    first, last = _span(filters, months)
    if with_days and wants_days(filters):
        return list(_days(first, last))
    if last.year - first.year >= YEAR_BARS_UP_TO:
        # Empty centuries are no picture, and thousands of bars (or compare rows) are a slow page.
        first, last = _span(SearchFilters(), months)
        if last.year - first.year >= YEAR_BARS_UP_TO:
            years = {month[:4] for month in months}
            return [period for period in _years(first, last) if period.key in years]
    if _months_between(first, last) <= MONTH_BARS_UP_TO:
        return list(_months(first, last))
    return list(_years(first, last))


def period_counts(periods: list[Period], months: dict[str, int], days: dict[str, int] | None = None) -> dict[str, int]:
    """Counts by period key: the day counts, the month counts, or months summed into years."""
    granularity = periods[0].granularity
    if granularity == "day":
        return dict(days or {})
    if granularity == "month":
        return dict(months)
    counts: dict[str, int] = {}
    for month, n in months.items():
        counts[month[:4]] = counts.get(month[:4], 0) + n
    return counts


def _span(filters: SearchFilters, months: Iterable[str]) -> tuple[datetime.date, datetime.date]:
    """The range to draw: the date filter where given, else the months that have articles."""
    keys = sorted(months)
    first = filters.date_from or datetime.date.fromisoformat(f"{keys[0]}-01")
    last_month = datetime.date.fromisoformat(f"{keys[-1]}-01")
    last = filters.date_to or last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    return first, last


def _months_between(first: datetime.date, last: datetime.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _days(first, last):
    """(key, label, start, end) for every day from first to last."""
    day = first
    while day <= last:
        yield Period(day.isoformat(), f"{day:%-d %b %Y}", day, day)
        day += datetime.timedelta(days=1)


def _months(first, last):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        yield Period(f"{year:04d}-{month:02d}", f"{calendar.month_abbr[month]} {year}", datetime.date(year, month, 1), end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _years(first, last):
    for year in range(first.year, last.year + 1):
        yield Period(f"{year:04d}", str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _layout(filters: SearchFilters, periods: list[Period], counts: dict[str, int]) -> Histogram:
    """One bar per period, scaled to a round top value, with regular ticks under them."""
    largest = max((counts.get(key, 0) for key, *_ in periods), default=0)
    step, top = nice_scale(largest)
    ticks = period_ticks(periods)
    links = ViewLinks(filters)
    bars = []
    for index, (key, label, start, end) in enumerate(periods):
        count = counts.get(key, 0)
        bars.append(Bar(
            label=label,
            count=count,
            url=links.url(dates=(start, end)),
            height=round(100 * count / top, 2),
            axis_label=label if index in ticks else "",
            minor=index in ticks and ticks.index(index) % 2 == 1,
        ))
    scale = [ScaleLine(int(step * k), round(100 * step * k / top, 2)) for k in range(round(top / step) + 1)]
    return Histogram(periods[0].granularity, bars, periods[0].label, periods[-1].label, largest, scale)
