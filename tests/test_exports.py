"""Following and taking away a view: CSV and JSON lines of every match, Atom of the newest, as_of citations.

The export rows are loaded as plain values; they must be exactly what the model-object path
(matching_articles) and the search page give, in the same order.
"""

import csv
import datetime
import io
import json
import random
import tracemalloc
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.forms import SearchFilters, parse_search_filters
from articles.labels import ActorValue, TopicValue
from articles.models import Actor, Article, Topic
from articles.search.selectors import matching_article_ids, matching_articles
from exports.formats import CSV_COLUMNS, FORMATS, export_text, spreadsheet_safe
from exports.rows import ExportRow, RowLoader, export_rows, load_rows
from exports import rows as rows_module

from .pages import parse, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


def csv_records(response) -> list[dict]:
    """The CSV as a researcher's script reads it: csv.DictReader straight on the body."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader)


def jsonl_records(response) -> list[dict]:
    """Each line parsed, after checking it is exactly what json.dumps writes for it."""
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = response.content.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert lines == [json.dumps(record, ensure_ascii=False) for record in records]
    return records


def link_header(response) -> str:
    """The URL of the Link header's rel="alternate" (the view the export came from)."""
    url, rel, kind = (part.strip() for part in response["Link"].split(";"))
    assert rel == 'rel="alternate"' and kind == 'type="text/html"'
    return url.strip("<>")


def test_csv_exports_every_match_not_just_one_page(client, search_index, make_article, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        make_article(f"Pipeline report {n} from Geneva.", date=f"2024-01-0{n + 1}", actors=[("Vladimir Putin", "person", "vladimir-putin")])
    for params in ({"q": "pipeline"}, {"actor": "vladimir-putin"}):
        rows = csv_records(client.get("/search/", {**params, "format": "csv", "page": "2"}))
        assert len(rows) == 5, params
        assert rows[0]["actors"] == "Vladimir Putin"
        assert rows[0]["url"].startswith("http://testserver/articles/")


def test_csv_begins_with_its_column_row_and_states_its_length(client, small_archive):
    response = client.get("/search/", {"q": "gas", "format": "csv"})
    body = response.content
    assert body.startswith(b"date,headline,url,source,actors,topics\r\n")
    assert response["Content-Length"] == str(len(body))
    assert len(csv_records(response)) == 2


def test_csv_is_in_the_view_order_and_names_the_query(client, small_archive):
    response = client.get("/search/", {"q": "gas", "sort": "oldest", "format": "csv"})
    today = timezone.now().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="newsdesk-gas-{today}.csv"'
    assert [row["date"] for row in csv_records(response)] == ["2023-02-10", "2024-05-16"]
    assert link_header(response) == "http://testserver/search/?q=gas&sort=oldest"


def test_jsonl_is_one_article_per_line(client, small_archive):
    response = client.get("/search/", {"topic": "energy", "as_of": "2030-01-01", "format": "jsonl"})
    lines = jsonl_records(response)
    assert [line["id"] for line in lines] == [small_archive["gas"].pk, small_archive["html"].pk]
    assert {"name": "Energy", "slug": "energy"} in lines[0]["topics"]
    assert link_header(response) == "http://testserver/search/?topic=energy&as_of=2030-01-01"
    assert response["Content-Length"] == str(len(response.content))


# --- the values path gives what the model-object path gives -------------------------------------------------

@pytest.fixture
def varied_archive(search_index, make_article):
    """Articles whose actors' names sort apart from their slugs and creation order, with cells CSV must quote."""
    people = [("Zhou Enlai", "person", "a-zhou"), ("Angela Merkel", "person", "z-merkel"), ("Ödön Lechner", "person", "lechner")]
    places = [("Russia", "country", "russia"), ("China", "country", "china")]
    topics = [("Trade", "trade"), ("Energy", "energy"), ("Diplomacy", "diplomacy")]
    made = []
    for n in range(14):
        made.append(make_article(
            f"Officials in Zürich discussed report {n}, “quoted”, and gas, said one; another disagreed.\n\nSecond paragraph {n}.",
            date=f"2024-{1 + n % 12:02d}-{1 + n % 3:02d}",  # several articles share a date: ties break by id
            actors=[people[n % 3], places[n % 2], people[(n + 1) % 3]][: 1 + n % 3],
            topics=topics[: n % 4],
            headline="=SUM(A1:A9) officials" if n == 3 else f"Report {n}, \"quoted\"\nacross lines" if n == 5 else "",
            source=f"batch/{n:02d}.txt",
        ))
    return made


def plain_records(filters: SearchFilters) -> list[dict]:
    """The rows as the model-object path builds them: matching_articles and each article's own labels."""
    return [
        {
            "id": article.pk,
            "date": article.date.isoformat(),
            "headline": article.headline,
            "url": "http://testserver" + article.get_absolute_url(),
            "source": article.source,
            "actors": [{"name": a.name, "kind": a.kind, "slug": a.slug} for a in article.actors.all()],
            "topics": [{"name": t.name, "slug": t.slug} for t in article.topics.all()],
        }
        for article in matching_articles(filters)
    ]


def spreadsheet_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


VIEWS = [
    {},
    {"sort": "oldest"},
    {"q": "officials"},
    {"q": "officials", "sort": "oldest"},
    {"q": "gas report", "sort": "newest"},
    {"actor": "russia"},
    {"topic": "energy", "sort": "oldest"},
    {"actor_not": "china", "from": "2024-03-01", "to": "2024-10-31"},
]


@pytest.mark.parametrize("params", VIEWS, ids=[str(view) for view in VIEWS])
def test_export_rows_are_the_model_paths_rows_in_the_same_order(client, varied_archive, params):
    filters, notices = parse_search_filters(_query_dict(params))
    assert not notices
    expected = plain_records(filters)
    assert len(expected) >= 3, "a view worth comparing"
    assert jsonl_records(client.get("/search/", {**params, "format": "jsonl"})) == expected
    rows = csv_records(client.get("/search/", {**params, "format": "csv"}))
    assert rows == [
        {
            "date": record["date"],
            "headline": spreadsheet_cell(record["headline"]),
            "url": record["url"],
            "source": record["source"],
            "actors": "; ".join(actor["name"] for actor in record["actors"]),
            "topics": "; ".join(topic["name"] for topic in record["topics"]),
        }
        for record in expected
    ]


@pytest.mark.parametrize("params", [{"q": "officials"}, {"topic": "trade"}])
def test_export_order_is_the_search_pages_order(client, varied_archive, settings, params):
    settings.SEARCH_RESULTS_PER_PAGE = 5
    page_ids = [
        row["id"] for page in (1, 2) for row in json.loads(client.get("/search/", {**params, "page": page, "format": "json"}).content)["results"]
    ]
    assert [line["id"] for line in jsonl_records(client.get("/search/", {**params, "format": "jsonl"}))][:10] == page_ids


def test_rows_come_from_a_few_queries_per_chunk_and_no_model_objects(varied_archive, monkeypatch):
    ids = [article.pk for article in varied_archive]

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a {type(self).__name__} object was built")

    for model in (Article, Actor, Topic):
        monkeypatch.setattr(model, "__init__", refuse)
    loader = RowLoader("http://testserver")
    assert not varied_archive[0].topics.exists()
    with CaptureQueriesContext(connection) as first:
        assert [row.id for row in loader.load(ids[:1])] == ids[:1]
    # The article with its actors' and topics' ids; and its actors (it has no topic), ranked by name as they are read.
    assert len(first) == 2, [query["sql"] for query in first]
    with CaptureQueriesContext(connection) as second:
        assert [row.id for row in loader.load(ids)] == ids
    # A second chunk: the articles; the new actors, and every actor's place by name (read once); the topics met first.
    assert len(second) == 4, [query["sql"] for query in second]
    with CaptureQueriesContext(connection) as third:
        assert [row.id for row in loader.load(ids[3:])] == ids[3:]
    assert len(third) == 1, [query["sql"] for query in third]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the index is named on SQLite only")
def test_on_sqlite_the_articles_columns_are_read_from_their_index_not_their_rows(varied_archive):
    """An article's row holds its body: 10,000 of them not read lately came from disk 4x slower than the index."""
    ids = [article.pk for article in varied_archive]
    with CaptureQueriesContext(connection) as queries:
        rows = RowLoader("").load(ids)
    assert [(row.id, row.date, row.headline, row.source) for row in rows] == [
        (article.pk, article.date, article.headline, article.source) for article in varied_archive]
    articles_query = next(query["sql"] for query in queries if "actor_ids" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {articles_query}")
        plan = [step[-1] for step in cursor.fetchall()]
    assert plan[0] == "SEARCH articles_article USING COVERING INDEX article_export_columns (id=?)", plan


@pytest.mark.parametrize("chunk", [1, 2, 5])
def test_later_chunks_list_labels_in_the_order_of_the_first(varied_archive, chunk):
    """The first chunk's labels are sorted by the database, later chunks' here: the same order, row for row."""
    ids = [article.pk for article in reversed(varied_archive)]
    Actor.objects.create(name="Aaron Ackermann", kind="person", slug="zz-ackermann")  # first by name, last by id
    varied_archive[4].actors.add(Actor.objects.get(slug="zz-ackermann"))
    chunked = [row for rows in export_rows([ids[i:i + chunk] for i in range(0, len(ids), chunk)], "") for row in rows]
    one_by_one = [load_rows([article_id])[0] for article_id in ids]  # each a first chunk
    assert len(chunked) == len(ids)
    assert [(row.id, row.actors, row.topics) for row in chunked] == [(row.id, row.actors, row.topics) for row in one_by_one]
    assert any(len(row.actors) > 1 for row in chunked) and any(len(row.topics) > 1 for row in chunked)


def test_a_label_deleted_after_its_articles_rows_were_read_is_left_out(varied_archive):
    article = next(article for article in varied_archive if article.actors.count() > 1)
    first, second = sorted(article.actors.all(), key=lambda actor: (actor.name, actor.pk))[:2]
    labels = RowLoader("").actors
    id_list = f"{second.pk},{first.pk},999999"  # as the database aggregates them: in any order
    labels.learn([id_list])
    assert [actor.name for actor in labels.of(id_list)] == [first.name, second.name]
    assert labels.of(f"999999,{second.pk}") == labels.of(str(second.pk)) and labels.of("") == ()


def test_label_lists_are_remembered_up_to_a_bound_and_forgotten_when_new_labels_are_read(varied_archive, monkeypatch):
    monkeypatch.setattr(rows_module, "SEEN_LISTS", 2)
    actors = sorted({actor for article in varied_archive for actor in article.actors.all()}, key=lambda actor: (actor.name, actor.pk))
    labels = RowLoader("").actors
    lists = [f"{actors[1].pk},{actors[0].pk}", f"{actors[2].pk}", f"{actors[2].pk},{actors[0].pk}"]
    labels.learn(lists)
    first = [labels.of(ids) for ids in lists]
    assert [[actor.name for actor in values] for values in first] == [
        [actors[0].name, actors[1].name], [actors[2].name], [actors[0].name, actors[2].name]]
    assert list(labels.seen) == lists[:2]  # the bound
    assert [labels.of(ids) for ids in lists] == first
    labels.learn([f"{actors[3].pk}"])
    assert labels.seen == {}
    assert [labels.of(ids) for ids in lists] == first


def test_an_article_deleted_after_the_search_is_left_out(varied_archive):
    ids = [article.pk for article in varied_archive[:4]]
    Article.objects.filter(pk=ids[1]).delete()
    assert [row.id for row in load_rows(ids)] == [ids[0], ids[2], ids[3]]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, search_index, make_article):
    make_article("=HYPERLINK(\"http://evil.example\",\"click\") is what the leaked memo said about gas.", headline="=HYPERLINK(\"http://evil.example\")")
    make_article("+1 for the gas deal, officials said.", headline="+1 for the gas deal", source="@source.txt")
    rows = csv_records(client.get("/search/", {"q": "gas", "format": "csv"}))
    assert {row["headline"] for row in rows} == {"'=HYPERLINK(\"http://evil.example\")", "'+1 for the gas deal"}
    assert "'@source.txt" in {row["source"] for row in rows}


def test_csv_lines_are_what_csv_writer_writes_for_any_cells():
    """csv_encode quotes by hand: the same text as csv.writer over the spreadsheet-safe cells, whatever they hold."""
    rng = random.Random(5)
    alphabet = 'ab ,"\r\n\'=+-@\t;éü…“”'
    cell = lambda: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))  # noqa: E731
    rows = [
        ExportRow(
            id=n, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n), headline=cell(), url=cell(), source=cell(),
            actors=tuple(ActorValue(cell(), "person", "p") for _ in range(rng.randint(0, 3))),
            topics=tuple(TopicValue(cell(), "t") for _ in range(rng.randint(0, 2))),
        )
        for n in range(3000)
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [spreadsheet_safe(cell) for cell in (
            row.date.isoformat(), row.headline, row.url, row.source,
            "; ".join(actor.name for actor in row.actors), "; ".join(topic.name for topic in row.topics),
        )]
        for row in rows
    )
    assert FORMATS["csv"].encode(rows) == buffer.getvalue()


def test_streaming_keeps_memory_flat_whatever_the_number_of_rows(transactional_db, monkeypatch):
    """Peak memory while exporting 1,200 rows and 4,800 rows differs by far less than holding the rows would take.

    The whole path of a view without text: its ids from the database, rows a chunk at a time, CSV.
    Chunks of 500 ids, read from the database cursor 500 at a time too (the site's are larger: their size sets
    the peak, the number of rows must not; on PostgreSQL 4,800 ids read at once were ~300 KB more).
    """
    from articles.search import database, selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 500)
    monkeypatch.setattr(database, "ID_BATCH", 500)
    bulk_archive(4800)

    def peak(count: int) -> int:
        tracemalloc.start()
        ids = matching_article_ids(SearchFilters(), limit=count)
        written = sum(len(text) for text in export_text(FORMATS["csv"], export_rows(ids, "http://testserver")))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert written > count * 100
        return top

    peak(500)  # warm caches (URL resolver, query compilation) before measuring
    # Garbage waiting for the collector adds up to ~200 KB to a peak, depending on when a collection falls
    # (seen on PostgreSQL: 2,400 rows peaked higher than 4,800): the least of three runs is what the export holds.
    small, large = min(peak(1200) for _ in range(3)), min(peak(4800) for _ in range(3))
    # Holding 3,600 more rows (their text alone is ~700 KB), or their ids as a list, would raise the peak by more.
    assert large - small < 250_000, (small, large)


def bulk_archive(count: int) -> None:
    """`count` articles with three actors and two topics each, written in bulk (no index, no extraction)."""
    actors = Actor.objects.bulk_create(Actor(name=f"Person {n}", kind="person", slug=f"person-{n}") for n in range(40))
    topics = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(8))
    start = datetime.date(2020, 1, 1)
    articles = Article.objects.bulk_create(
        Article(headline=f"Officials met for talks number {n} in Geneva", date=start + datetime.timedelta(days=n % 1500),
                body=f"Officials met for talks number {n}.", source=f"bulk/{n}.txt", fingerprint=f"bulk-{n}")
        for n in range(count)
    )
    Article.actors.through.objects.bulk_create(
        Article.actors.through(article_id=article.pk, actor_id=actors[(n + k) % 40].pk) for n, article in enumerate(articles) for k in range(3)
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=article.pk, topic_id=topics[(n + k) % 8].pk) for n, article in enumerate(articles) for k in range(2)
    )


# --- refused rather than wider than asked ---------------------------------------------------------------

@pytest.mark.parametrize("params, reason", [
    ({"actor": "nobody-at-all", "format": "csv"}, "There is no actor “nobody-at-all”"),  # an unknown label matches nothing
    ({"q": "gas", "from": "2024-13-45", "format": "jsonl"}, "Ignored the 'from' date"),
    ({"topic": "no-such-topic", "format": "atom"}, "There is no topic “no-such-topic”"),
])
def test_an_export_with_an_ignored_parameter_is_refused_not_widened(client, small_archive, params, reason):
    response = client.get("/search/", params)
    assert response.status_code == 400
    alert = parse(response).select_one("main [role=alert]")
    assert text_of(alert).startswith(reason)
    assert "Content-Disposition" not in response


# --- Atom ---------------------------------------------------------------------------------------------

def test_atom_feed_is_valid_atom_with_newest_entries(client, small_archive):
    response = client.get("/search/", {"q": "officials", "format": "atom"})
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/search/?q=officials&format=atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        small_archive[key].headline for key in ("gas", "summit", "nato", "html")
    ]
    gas = entries[0]
    assert gas.find(f"{ATOM}link").get("href") == "http://testserver" + small_archive["gas"].get_absolute_url()
    assert gas.find(f"{ATOM}summary").text == small_archive["gas"].lead
    assert [c.get("term") for c in gas.findall(f"{ATOM}category")] == ["China", "Russia", "Vladimir Putin", "Diplomacy", "Energy"]
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    assert "<script>" not in response.content.decode().replace("&lt;script&gt;", "")


def test_search_page_announces_its_feed(client, small_archive):
    html = client.get("/search/", {"q": "gas", "topic": "energy"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="Newsdesk: “gas”, topic: Energy" href="/search/?q=gas&amp;topic=energy&amp;format=atom">' in html
    assert 'href="/search/?q=gas&amp;topic=energy&amp;format=csv"' in html


@pytest.mark.parametrize("path", ["/actors/vladimir-putin/", "/topics/energy/"])
def test_actor_and_topic_pages_announce_feeds(client, small_archive, path):
    html = client.get(path).content.decode()
    assert 'type="application/atom+xml"' in html and "format=atom" in html


@pytest.mark.parametrize("q", ["", "officials"])
def test_as_of_leaves_out_articles_added_later(client, small_archive, q):
    late = small_archive["nato"]
    Article.objects.filter(pk=late.pk).update(created=timezone.now() + datetime.timedelta(days=3))
    from articles.search.indexing import index_enqueue

    index_enqueue([late.pk])  # update() sends no signal; queue it by hand
    today = timezone.now().date().isoformat()
    data = json.loads(client.get("/search/", {"q": q, "as_of": today, "format": "json"}).content)
    assert late.pk not in [row["id"] for row in data["results"]]
    assert data["count"] == 3
    assert late.pk not in [line["id"] for line in jsonl_records(client.get("/search/", {"q": q, "as_of": today, "format": "jsonl"}))]
    later = (timezone.now() + datetime.timedelta(days=5)).date().isoformat()
    assert json.loads(client.get("/search/", {"q": q, "as_of": later, "format": "json"}).content)["count"] == 4


def _query_dict(params: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in params.items():
        query[name] = value
    return query


def test_without_an_index_text_exports_answer_503_and_filters_come_from_the_database(client, small_archive, search_down):
    response = client.get("/search/", {"q": "gas", "format": "jsonl"})
    assert response.status_code == 503 and "Content-Disposition" not in response
    rows = csv_records(client.get("/search/", {"actor": "vladimir-putin", "format": "csv"}))
    assert [row["headline"] for row in rows] == [small_archive[key].headline for key in ("gas", "summit")]
