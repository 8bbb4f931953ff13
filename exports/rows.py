"""The rows of an export as plain values, a chunk of ids at a time: a few queries per chunk, no model objects.

# load_rows([41, 17], article_url_maker("http://testserver"))
#   -> [ExportRow(id=41, date=date(2024, 5, 16), headline="Gas deal", url="http://testserver/articles/41/gas-deal/",
#                 source="gas.txt", actors=(ActorValue("Vladimir Putin", "person", "vladimir-putin"),),
#                 topics=(TopicValue("Energy", "energy"),)),
#       ExportRow(id=17, ...)]
Per chunk: one query for the articles' own columns, one for their actors, one for their topics.
Labels come in the order the article's page lists them (by name), rows in the order of the ids;
an id deleted since the search is left out.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from django.urls import reverse

from articles.models import Article, headline_slug


class ActorValue(NamedTuple):
    name: str
    kind: str
    slug: str


class TopicValue(NamedTuple):
    name: str
    slug: str


@dataclasses.dataclass(slots=True)
class ExportRow:
    id: int
    date: datetime.date
    headline: str
    url: str  # absolute
    source: str
    actors: tuple[ActorValue, ...]
    topics: tuple[TopicValue, ...]
    lead: str = ""  # the first paragraph: feeds only
    updated: datetime.datetime | None = None  # feeds only


def article_url_maker(origin: str) -> Callable[[int, str], str]:
    """A function (id, slug) -> the article's absolute URL, without resolving the URL pattern for every row.

    # article_url_maker("http://testserver")(41, "gas-deal") -> "http://testserver/articles/41/gas-deal/"
    """
    sample = reverse("article_detail", args=[1, "x"])
    if sample.endswith("/1/x/"):
        prefix = origin + sample[: -len("1/x/")]
        return lambda pk, slug: f"{prefix}{pk}/{slug}/"
    return lambda pk, slug: origin + reverse("article_detail", args=[pk, slug])


def export_rows(id_chunks: Iterable[list[int]], origin: str, *, feed: bool = False) -> Iterator[list[ExportRow]]:
    """The rows of each chunk of ids, in order; memory holds one chunk at a time."""
    url_of = article_url_maker(origin)
    for ids in id_chunks:
        if ids:
            yield load_rows(ids, url_of, feed=feed)


def load_rows(ids: list[int], url_of: Callable[[int, str], str], *, feed: bool = False) -> list[ExportRow]:
    """The rows of these articles, in the order of ids: three queries, whatever the number of ids."""
    columns = ["id", "date", "headline", "source"] + (["body", "updated"] if feed else [])
    found = {values[0]: values for values in Article.objects.filter(id__in=ids).values_list(*columns)}
    actors = _labels_by_article(Article.actors.through, "actor", ("name", "kind", "slug"), ids, ActorValue)
    topics = _labels_by_article(Article.topics.through, "topic", ("name", "slug"), ids, TopicValue)
    rows = []
    for article_id in ids:
        values = found.get(article_id)
        if values is None:
            continue  # deleted since the search
        headline = values[2]
        row = ExportRow(
            article_id, values[1], headline, url_of(article_id, headline_slug(headline)), values[3],
            actors.get(article_id, ()), topics.get(article_id, ()),
        )
        if feed:
            row.lead, row.updated = values[4].split("\n\n", 1)[0], values[5]
        rows.append(row)
    return rows


def _labels_by_article(through, label: str, fields: tuple[str, ...], ids: list[int], make) -> dict[int, tuple]:
    """{article id: (label values, ...)} from the link table joined to the labels, each article's by name."""
    links = (
        through.objects.filter(article_id__in=ids)
        .order_by(f"{label}__name", f"{label}_id")
        .values_list("article_id", *(f"{label}__{field}" for field in fields))
    )
    grouped: dict[int, list] = defaultdict(list)
    for article_id, *values in links:
        grouped[article_id].append(make(*values))
    return {article_id: tuple(labels) for article_id, labels in grouped.items()}
