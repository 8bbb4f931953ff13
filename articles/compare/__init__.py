"""Compare two to five actors or queries over time: as counts per period and as shares of all articles.

# ?s=q:gas&s=actor:xi-jinping&from=2024-01-01&measure=share
#   params.py  -> CompareParams(series=(actor xi-jinping, query “gas”), base=SearchFilters(from 2024-01-01))
#   counts.py  -> Comparison: per month, each series' count and its share of all articles in that month
#   chart.py   -> Chart: one SVG line per series (own colour, dash and marker), axes, legend, summary
# Each series is counted by article_search within the shared dates and topics; its share in a period
# is that count over all articles with the same dates and topics in the period.
"""

from .chart import NARROW_WIDTH, Chart, comparison_chart
from .counts import Comparison, comparison_csv, comparison_filename, series_compare
from .params import (
    MAX_SERIES, MIN_SERIES, CompareParams, Series, compare_form_rows, measure_links, parse_compare, topic_choices,
)

__all__ = [
    "MAX_SERIES", "MIN_SERIES", "NARROW_WIDTH", "Chart", "CompareParams", "Comparison", "Series", "compare_form_rows",
    "comparison_chart", "comparison_csv", "comparison_filename", "measure_links", "parse_compare",
    "series_compare", "topic_choices",
]
