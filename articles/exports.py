"""Take a search view away: every match as CSV or JSON lines, and the newest matches as an Atom feed."""

import csv
import datetime
import json
from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify

from .forms import SearchFilters
from .models import Article
from .search.selectors import matching_articles

FEED_ENTRIES = 50
CSV_COLUMNS = ["date", "headline", "url", "source", "actors", "topics"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_filename(filters: SearchFilters, extension: str) -> str:
    """newsdesk-gas-pipeline-2026-11-22.csv: the query (or 'all') and the day of export."""
    label = slugify(filters.q)[:60] or "all"
    return f"newsdesk-{label}-{timezone.now():%Y-%m-%d}.{extension}"


def export_header(filters: SearchFilters, absolute: Callable[[str], str]) -> dict:
    """What an exported file states about itself, so it can be cited and reproduced."""
    return {
        "query": filters.q,
        "filters": filters.describe(),
        "as_of": filters.as_of.isoformat() if filters.as_of else None,
        "view": absolute(filters.replace(page=1).url()),
        "exported": timezone.now().isoformat(timespec="seconds"),
    }


def article_record(article: Article, absolute: Callable[[str], str]) -> dict:
    """One article as plain data (the same shape as the search JSON, without the snippet)."""
    return {
        "id": article.pk,
        "date": article.date.isoformat(),
        "headline": article.headline,
        "url": absolute(article.get_absolute_url()),
        "source": article.source,
        "actors": [{"name": a.name, "kind": a.kind, "slug": a.slug} for a in article.actors.all()],
        "topics": [{"name": t.name, "slug": t.slug} for t in article.topics.all()],
    }


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(filters: SearchFilters, absolute: Callable[[str], str]) -> Iterator[str]:
    """Yield '# key: value' header lines, the column row, then one row per matching article."""
    for key, value in export_header(filters, absolute).items():
        one_line = " ".join(str(value or "").split())
        yield f"# {key}: {one_line}\r\n"
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for article in matching_articles(filters.replace(page=1)):
        record = article_record(article, absolute)
        yield writer.writerow([
            spreadsheet_safe(cell)
            for cell in (
                record["date"], record["headline"], record["url"], record["source"],
                "; ".join(actor["name"] for actor in record["actors"]),
                "; ".join(topic["name"] for topic in record["topics"]),
            )
        ])


def spreadsheet_safe(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: "=HYPERLINK(...)" -> "'=HYPERLINK(...)"."""
    return f"'{cell}" if cell[:1] in FORMULA_STARTS else cell


def jsonl_lines(filters: SearchFilters, absolute: Callable[[str], str]) -> Iterator[str]:
    """Yield a first line {"export": header}, then one JSON object per matching article."""
    yield json.dumps({"export": export_header(filters, absolute)}, ensure_ascii=False) + "\n"
    for article in matching_articles(filters.replace(page=1)):
        yield json.dumps(article_record(article, absolute), ensure_ascii=False) + "\n"


def atom_feed(filters: SearchFilters, absolute: Callable[[str], str]) -> Atom1Feed:
    """The newest matches of the view as an Atom 1.0 feed."""
    view_url = absolute(filters.replace(page=1, sort=filters.default_sort).url())
    feed = Atom1Feed(
        title=f"Newsdesk: {filters.describe()}",
        link=view_url,
        description=f"Newest articles for {filters.describe()}",
        feed_url=absolute(filters.replace(page=1, sort=filters.default_sort).url(format="atom")),
        feed_guid=view_url,
        language="en",
    )
    for article in matching_articles(filters.replace(page=1, sort="newest"), limit=FEED_ENTRIES):
        url = absolute(article.get_absolute_url())
        feed.add_item(
            title=article.headline,
            link=url,
            unique_id=url,
            description=article.lead,
            pubdate=datetime.datetime.combine(article.date, datetime.time(), tzinfo=datetime.timezone.utc),
            updateddate=article.updated,
            categories=[actor.name for actor in article.actors.all()] + [topic.name for topic in article.topics.all()],
        )
    return feed
