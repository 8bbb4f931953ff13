"""The actors and topics of articles as plain values, each article's in the order its page lists them (by name).

# article_labels([41, 17])
#   -> ({41: (ActorValue("Russia", "country", "russia"), ActorValue("Vladimir Putin", "person", "vladimir-putin"))},
#       {41: (TopicValue("Energy", "energy"),)})          (17 has no labels: it is left out)
One query for each kind of label, however many articles: a results page's ~240 labels loaded as
model objects through prefetch_related took four times as long.
"""

from collections import defaultdict
from typing import NamedTuple

from .models import Article


class ActorValue(NamedTuple):
    name: str
    kind: str
    slug: str


class TopicValue(NamedTuple):
    name: str
    slug: str


def article_labels(ids: list[int]) -> tuple[dict[int, tuple[ActorValue, ...]], dict[int, tuple[TopicValue, ...]]]:
    """({article id: its actors}, {article id: its topics}) for these articles."""
    return _labels(Article.actors.through, "actor", ActorValue, ids), _labels(Article.topics.through, "topic", TopicValue, ids)


def _labels(through, label: str, make, ids: list[int]) -> dict[int, tuple]:
    links = (
        through.objects.filter(article_id__in=ids)
        .order_by(f"{label}__name", f"{label}_id")
        .values_list("article_id", *(f"{label}__{field}" for field in make._fields))
    )
    grouped: dict[int, list] = defaultdict(list)
    for article_id, *values in links:
        grouped[article_id].append(make(*values))
    return {article_id: tuple(values) for article_id, values in grouped.items()}
