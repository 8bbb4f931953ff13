"""Counts per period for each series and for all articles with the same dates and topics, and the CSV.

# Vladimir Putin vs “gas”, from=2024-03-01: Mar 2024 -> counts (2, 1) of 4 articles, shares (50.0, 25.0)
"""

import csv
import dataclasses
import io

from django.utils import timezone
from django.utils.text import slugify

from exports.formats import spreadsheet_safe

from ..histogram import Period, date_periods, period_counts
from ..search.selectors import article_search
from .params import CompareParams


@dataclasses.dataclass(frozen=True)
class PeriodRow:
    period: Period
    counts: tuple[int, ...]  # one per series
    shares: tuple[float | None, ...]  # percent of `total`; None when the period has no articles at all
    total: int  # all articles in the period (within the shared dates and topics)
    count_urls: tuple[str, ...]  # each series' search narrowed to the period
    total_url: str

    @property
    def cells(self) -> list[tuple[int, float | None, str]]:
        """(count, share, url) per series, for the table."""
        return list(zip(self.counts, self.shares, self.count_urls))


@dataclasses.dataclass(frozen=True)
class Comparison:
    params: CompareParams
    granularity: str  # "year" | "month" | "day"; "" when no series has any article
    rows: list[PeriodRow]
    series_totals: tuple[int, ...]
    total: int

    @property
    def series_shares(self) -> tuple[float | None, ...]:
        return tuple(_share(count, self.total) for count in self.series_totals)

    @property
    def totals(self) -> list[tuple[int, float | None]]:
        """(count, share) per series over every period, for the table's last row."""
        return list(zip(self.series_totals, self.series_shares))


def _share(count: int, total: int) -> float | None:
    return 100 * count / total if total else None


def series_compare(params: CompareParams) -> Comparison:
    """Count each series' articles, and all articles, per period over the span of the series (or the dates given)."""
    base = params.base
    results = [article_search(series.filters(base)) for series in params.series]
    everything = article_search(base)
    months = set().union(*(result.facets.months for result in results))
    if not months:
        return Comparison(params, "", [], tuple(0 for _ in params.series), 0)
    periods = date_periods(base, months, with_days=everything.facets.days is not None)
    counts = [period_counts(periods, result.facets.months, result.facets.days) for result in results]
    all_counts = period_counts(periods, everything.facets.months, everything.facets.days)
    rows = []
    for period in periods:
        narrowed = base.replace(
            date_from=max(period.start, base.date_from or period.start),
            date_to=min(period.end, base.date_to or period.end),
        )
        total = all_counts.get(period.key, 0)
        row_counts = tuple(series_counts.get(period.key, 0) for series_counts in counts)
        rows.append(PeriodRow(
            period=period,
            counts=row_counts,
            shares=tuple(_share(count, total) for count in row_counts),
            total=total,
            count_urls=tuple(series.filters(narrowed).url() for series in params.series),
            total_url=narrowed.url(),
        ))
    # Totals over the periods shown, so the table's last row is the sum of the rows above it.
    totals = tuple(sum(row.counts[index] for row in rows) for index in range(len(params.series)))
    return Comparison(params, periods[0].granularity, rows, totals, sum(row.total for row in rows))


def comparison_filename(params: CompareParams) -> str:
    """newsdesk-compare-vladimir-putin-vs-gas-2026-11-22.csv: the series labels and the day of export."""
    label = "-vs-".join(slugify(series.label) or "series" for series in params.series)[:100].strip("-")
    return f"newsdesk-compare-{label}-{timezone.now():%Y-%m-%d}.csv"


def comparison_csv(comparison: Comparison) -> str:
    """The column row, then one row per period: counts and shares per series, and all articles.

    Rows only, like every export, so any tool reads it directly: the series are in the column
    names, the file name has them and the day, and the response's Link header gives the view.
    """
    params = comparison.params
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["period"]
    for series in params.series:
        columns += [f"{series.label} count", f"{series.label} share"]
    # A label is an actor's name or a query: either may start with "=", and the header row is cells too.
    writer.writerow([spreadsheet_safe(column) for column in columns + ["all articles"]])
    for row in comparison.rows:
        cells = [row.period.key]
        for count, share in zip(row.counts, row.shares):
            cells += [count, "" if share is None else f"{share:.2f}"]
        writer.writerow(cells + [row.total])
    return out.getvalue()
