"""The rows of an export as plain values, a chunk of ids at a time: a few queries per chunk, no model objects.

# load_rows([41, 17], "http://testserver")
#   -> [ExportRow(id=41, date=date(2024, 5, 16), headline="Gas deal", url="http://testserver/articles/41/gas-deal/",
#                 source="gas.txt", actors=(ActorValue("Vladimir Putin", "person", "vladimir-putin"),),
#                 topics=(TopicValue("Energy", "energy"),)),
#       ExportRow(id=17, ...)]
Per chunk: one query for the articles' own columns and, beside each, the ids of its actors and
of its topics as text ("4,17,9", aggregated by the database: a Python tuple per link cost a
third of an export's time); actors and topics are read once per export (one more query when a
chunk names new ones). Labels come in the order the article's page lists them (by name, then
id), rows in the order of the ids; an id deleted since the search is left out.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Iterator

from django.db import connections
from django.db.models import CharField, Func, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse

from articles.labels import ActorValue, TopicValue
from articles.models import EXPORT_COLUMNS_INDEX, Actor, Article, Topic, article_path_prefix, headline_slug


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
    prefix = article_path_prefix()
    if prefix is not None:
        prefix = origin + prefix
        return lambda pk, slug: f"{prefix}{pk}/{slug}/"
    return lambda pk, slug: origin + reverse("article_detail", args=[pk, slug])


def id_list(ids: list[int]) -> RawSQL:
    """Ids for an __in filter as one list of query parameters.

    Django prepares each value of a plain list in Python, ~2 µs an id for each of the three
    queries of a chunk: a fifth of an export's time. The values are still sent as parameters.
    """
    return RawSQL(", ".join(["%s"] * len(ids)), ids)


def export_rows(id_chunks: Iterable[list[int]], origin: str, *, feed: bool = False) -> Iterator[list[ExportRow]]:
    """The rows of each chunk of ids, in order; memory holds one chunk at a time (and the labels seen)."""
    loader = RowLoader(origin, feed=feed)
    for ids in id_chunks:
        if ids:
            yield loader.load(ids)


class RowLoader:
    """Loads rows chunk after chunk, remembering each actor's and topic's values once they were read."""

    def __init__(self, origin: str, *, feed: bool = False):
        self.url_of = article_url_maker(origin)
        self.feed = feed
        self.actors = _Labels(Actor, Article.actors.through, "actor", ("name", "kind", "slug"), ActorValue)
        self.topics = _Labels(Topic, Article.topics.through, "topic", ("name", "slug"), TopicValue)

    def load(self, ids: list[int]) -> list[ExportRow]:
        """The rows of these articles, in the order of ids: one query (two or three more when new labels appear)."""
        columns = ["id", "date", "headline", "source"] + (["body", "updated"] if self.feed else [])
        articles = (
            Article.objects.filter(id__in=id_list(ids)).order_by()  # rows come in the order of ids anyway
            .annotate(actor_ids=self.actors.ids_of_article(), topic_ids=self.topics.ids_of_article())
        )
        found = {values[0]: values for values in
                 _rows_of(articles.values_list(*columns, "actor_ids", "topic_ids"), through_index=not self.feed)}
        self.actors.learn(values[-2] for values in found.values())
        self.topics.learn(values[-1] for values in found.values())
        actors_of, topics_of, url_of, rows = self.actors.of, self.topics.of, self.url_of, []
        for article_id in ids:
            values = found.get(article_id)
            if values is None:
                continue  # deleted since the search
            headline = values[2]
            row = ExportRow(
                article_id, values[1], headline, url_of(article_id, headline_slug(headline)), values[3],
                actors_of(values[-2]), topics_of(values[-1]),
            )
            if self.feed:
                row.lead, row.updated = values[4].split("\n\n", 1)[0], values[5]
            rows.append(row)
        return rows


def load_rows(ids: list[int], origin: str = "", *, feed: bool = False) -> list[ExportRow]:
    """The rows of one list of ids (see RowLoader)."""
    return RowLoader(origin, feed=feed).load(ids)


def _rows_of(queryset, *, through_index: bool) -> list:
    """The rows of a values_list() of articles; through_index, on SQLite, read from the index of the columns an
    export lists (Article.Meta.indexes) rather than from the articles' rows.

    SQLite looks each id up in the table, where an article's row carries its body (3.7 KB on average): the
    ~10,000 rows of an export not read lately came from ~40 MB on disk (100k archive, empty page cache: 1.4 s
    for the chunks' queries); the index holds their columns in ~1.5 MB (0.37 s). The planner picks the table
    whatever its rows' size, so the query names the index. PostgreSQL keeps long bodies out of its rows.
    """
    connection = connections[queryset.db]
    if not through_index or connection.vendor != "sqlite":
        return list(queryset)
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    table = f"FROM {connection.ops.quote_name(Article._meta.db_table)} "
    if table not in sql:
        return list(queryset)
    sql = sql.replace(table, f"{table}INDEXED BY {connection.ops.quote_name(EXPORT_COLUMNS_INDEX)} ", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = compiler.get_converters([column for column, _, _ in compiler.select[:compiler.col_count]])
    return list(compiler.apply_converters(rows, converters)) if converters else rows


class IdList(Func):
    """The ids of a subquery's rows as one text, "4,17,9", in no particular order.

    An aggregate over the whole subquery: not an Aggregate, so that Django adds no GROUP BY
    (grouping each article's links by its id took SQLite a tenth longer).
    """

    function = "GROUP_CONCAT"
    output_field = CharField()
    contains_aggregate = False

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(CAST(%(expressions)s AS text), ',')", **extra_context)


# Topic lists repeat (103k generated articles have 5,220 distinct ones) and an article's labels are sorted
# per row, so the commonest lists are remembered; the bound keeps an export's memory constant.
SEEN_LISTS = 20_000


class _Labels:
    """The actors (or topics) of articles, each article's in the order its page lists them: by name, then id.

    Each label's values are read once per export, with its place in that order: the first chunk's
    labels are ranked among themselves by the database (the query that reads them sorts them); when a
    later chunk names new labels, every label's place is read (one query, ~2 ms for 3,000 actors).
    An article's labels come as the text of their ids ("4,17,9"): mapped to places, sorted, and
    mapped to values without a Python loop per label.
    """

    def __init__(self, model, through, label: str, fields: tuple[str, ...], make):
        self.model, self.through, self.label, self.fields, self.make = model, through, label, fields, make
        self.values: dict[int, tuple] = {}  # label id -> its values, read once per export
        self.places: dict[int, int] = {}  # label id -> its place by name
        self.ranked_all = False  # places hold every label's place, not only the first chunk's
        self.place_of: dict[str, int] = {}  # "17" -> the place of label 17, for labels whose values were read
        self.value_at: dict[int, tuple] = {}  # place -> the values of the label there
        self.seen: dict[str, tuple] = {}  # id list -> its values, for the first SEEN_LISTS id lists

    def ids_of_article(self) -> Subquery:
        """The ids of the article's labels as text (IdList), for Article.objects.annotate()."""
        links = self.through.objects.filter(article_id=OuterRef("id")).order_by()
        return Subquery(links.values(ids=IdList(f"{self.label}_id")))

    def learn(self, id_lists: Iterable[str | None]) -> None:
        """Read the values and places of the labels these id lists name for the first time."""
        named = set(",".join([ids for ids in id_lists if ids]).split(","))
        missing = [int(label_id) for label_id in named - self.place_of.keys() if label_id]
        if not missing:
            return
        ranked = self.model.objects.filter(id__in=id_list(missing)).order_by("name", "id")
        rows = list(ranked.values_list("id", *self.fields))
        if not rows:
            return  # deleted since their articles' rows were read
        first = not self.values
        for label_id, *values in rows:
            self.values[label_id] = self.make(*values)
        if first:
            self.places = {label_id: place for place, (label_id, *_) in enumerate(rows)}
        elif not self.ranked_all or any(label_id not in self.places for label_id, *_ in rows):  # or added since
            ranked_ids = self.model.objects.order_by("name", "id").values_list("id", flat=True)
            self.places = {label_id: place for place, label_id in enumerate(ranked_ids)}
            self.ranked_all = True
        self.seen.clear()
        known = [(label_id, self.places[label_id], value) for label_id, value in self.values.items() if label_id in self.places]
        self.place_of = {str(label_id): place for label_id, place, _ in known}
        self.value_at = {place: value for _, place, value in known}

    def of(self, ids: str | None) -> tuple:
        """The values of the labels of one id list, in order (those deleted since it was read left out)."""
        if not ids:
            return ()
        values = self.seen.get(ids)
        if values is not None:
            return values
        place_of = self.place_of
        try:
            values = tuple(map(self.value_at.__getitem__, sorted(map(place_of.__getitem__, ids.split(",")))))
        except KeyError:
            values = tuple(self.value_at[place] for place in sorted(place_of[label_id] for label_id in ids.split(",") if label_id in place_of))
        if len(self.seen) < SEEN_LISTS:
            self.seen[ids] = values
        return values
