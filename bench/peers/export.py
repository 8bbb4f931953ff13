"""The CSV every peer writes for an export: the app's columns, from plain values."""

import csv
import io

from .spec import Spec

CSV_COLUMNS = ["date", "headline", "url", "source", "actors", "topics"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(spec: Spec, rows) -> tuple[str, int]:
    """(CSV text, rows written) from (id, date, headline, source, actor names, topic names) rows.

    The same work as the app's export per row: its URL (id + slug), spreadsheet-safe cells.
    """
    from django.utils.text import slugify

    out = io.StringIO()
    writer = csv.writer(out)
    out.write(f"# query: {' '.join(spec.words)}\r\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    for article_id, date, headline, source, actors, topics in rows:
        url = f"http://127.0.0.1/articles/{article_id}/{slugify(headline)[:80].strip('-') or 'article'}/"
        writer.writerow([_safe(str(cell or "")) for cell in (date, headline, url, source, actors, topics)])
        written += 1
    return out.getvalue(), written


def _safe(cell: str) -> str:
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell
