"""CSV and JSON lines of export rows: the file holds the rows only, so any tool reads it directly.

# CSV:        date,headline,url,source,actors,topics
#             2024-05-16,Gas deal,http://…/articles/41/gas-deal/,gas.txt,Russia; Vladimir Putin,Energy
# JSON lines: {"id": 41, "date": "2024-05-16", "headline": "Gas deal", "url": "http://…", "source": "gas.txt",
#              "actors": [{"name": "Russia", "kind": "country", "slug": "russia"}, …], "topics": [{"name": "Energy", "slug": "energy"}]}
What was exported travels beside the rows: the file name names the query and the day, and the
response's Link header (and an export job's page) gives the view's address.
"""

import dataclasses
import datetime
import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator

from django.utils.text import slugify

from articles.forms import SearchFilters

from .rows import ActorValue, ExportRow, TopicValue

CSV_COLUMNS = ["date", "headline", "url", "source", "actors", "topics"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True)
class ExportFormat:
    name: str  # the format= value and the file extension
    content_type: str
    header: str  # written before the first row
    encode: Callable[[list[ExportRow]], str]


def spreadsheet_safe(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: "=HYPERLINK(...)" -> "'=HYPERLINK(...)"."""
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell


def csv_cell(text: str) -> str:
    """A spreadsheet-safe cell as csv.writer writes it (excel dialect): quoted when it holds a comma, a quote
    or a line break, its quotes doubled.

    Written out because csv.writer examines every character in C but spent ~5 µs a row doing it,
    two thirds of encoding an export's rows; tests hold this to csv.writer on every kind of cell.
    """
    text = spreadsheet_safe(text)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def csv_encode(rows: list[ExportRow]) -> str:
    """The CSV lines of some rows (quoted as needed, \\r\\n line ends, every cell spreadsheet-safe)."""
    cell = csv_cell
    return "".join([
        # An ISO date is digits and dashes: nothing to quote or to make safe.
        f"{row.date.isoformat()},{cell(row.headline)},{cell(row.url)},{cell(row.source)},"
        f"{cell('; '.join(map(_name, row.actors)))},{cell('; '.join(map(_name, row.topics)))}\r\n"
        for row in rows
    ])


_name = operator.attrgetter("name")


def _csv_line(cells: list[str]) -> str:
    return ",".join(map(csv_cell, cells)) + "\r\n"


def row_record(row: ExportRow) -> dict:
    """One row as plain data (the shape of the search page's JSON, without the snippet)."""
    return {
        "id": row.id,
        "date": row.date.isoformat(),
        "headline": row.headline,
        "url": row.url,
        "source": row.source,
        "actors": [{"name": actor.name, "kind": actor.kind, "slug": actor.slug} for actor in row.actors],
        "topics": [{"name": topic.name, "slug": topic.slug} for topic in row.topics],
    }


_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


@functools.lru_cache(maxsize=100_000)
def _label_json(label: ActorValue | TopicValue) -> str:
    """A label's JSON object, encoded once: the same actors come back in row after row."""
    return _JSON.encode(label._asdict())


def jsonl_encode(rows: list[ExportRow]) -> str:
    """One JSON object per row, one per line: row_record(row) as json.dumps writes it, labels from memory."""
    encode = _JSON.encode
    return "".join(
        encode({"id": row.id, "date": row.date.isoformat(), "headline": row.headline, "url": row.url, "source": row.source})[:-1]
        + ', "actors": [' + ", ".join(map(_label_json, row.actors))
        + '], "topics": [' + ", ".join(map(_label_json, row.topics)) + "]}\n"
        for row in rows
    )


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", _csv_line(CSV_COLUMNS), csv_encode),
    "jsonl": ExportFormat("jsonl", "application/x-ndjson; charset=utf-8", "", jsonl_encode),
}


def export_text(export_format: ExportFormat, row_chunks: Iterable[list[ExportRow]]) -> Iterator[str]:
    """The file a piece at a time: the header, then each chunk of rows."""
    if export_format.header:
        yield export_format.header
    for rows in row_chunks:
        yield export_format.encode(rows)


def export_filename(q: str, day: datetime.date, extension: str) -> str:
    """newsdesk-gas-pipeline-2026-11-22.csv: the query (or 'all') and the day of the export."""
    label = slugify(q)[:60] or "all"
    return f"newsdesk-{label}-{day:%Y-%m-%d}.{extension}"


def view_link(view_url: str) -> str:
    """The Link header naming the view an export came from: open it to see the same search."""
    return f'<{view_url}>; rel="alternate"; type="text/html"'


def export_description(filters: SearchFilters, origin: str) -> dict:
    """What an export is of, so it can be cited and reproduced (an export job's JSON)."""
    return {
        "query": filters.q,
        "filters": filters.describe(),
        "as_of": filters.as_of.isoformat() if filters.as_of else None,
        "view": origin + filters.replace(page=1).url(),
    }
