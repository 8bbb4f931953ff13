"""The column fast path (articles.column_search) returns exactly what the plain paths return.

Plain paths: haystack + Whoosh filters and facets for text queries, the database for
filter-only views. The archive is edited and pruned after indexing so the index has
several segments with deleted documents, as a live one does.
"""

import datetime
import random

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import override_settings

from articles.search.selectors import article_search
from articles.forms import parse_search_filters
from articles.models import Actor, Article, Topic

from ..engines import whoosh_only

pytestmark = whoosh_only

WORDS = "talks sanctions summit pipeline ministers harbour ceasefire elections tariffs drought".split()
ACTORS = [(f"Person {n}", "person", f"person-{n}") for n in range(6)] + [("Ruritania", "country", "ruritania")]
TOPICS = [(f"Topic {n}", f"topic-{n}") for n in range(4)]


@pytest.fixture
def edited_archive(search_index, make_article):
    rng = random.Random(7)
    articles = []
    for n in range(40):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))) + f". Number {n} said officials."
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.choice([0, 0, 3, 40, 400, 800]))
        articles.append(make_article(
            body, date=day.isoformat(),
            actors=rng.sample(ACTORS, rng.randint(0, 3)),
            topics=rng.sample(TOPICS, rng.randint(0, 2)),
        ))
    with transaction.atomic():  # versions are left out of results: the original stands for them
        Article.objects.filter(pk__in=[articles[1].pk, articles[2].pk]).update(version_of=articles[0])
        for article in articles[1:3]:
            article.save()
    for article in articles[5:12]:  # edits delete the old documents from earlier segments
        with transaction.atomic():
            article.actors.add(Actor.objects.get(slug="person-0"))
            article.topics.set(Topic.objects.filter(slug="topic-3"))
    for article in articles[30:34]:
        with transaction.atomic():
            article.delete()
    return articles


QUERIES = [
    "q=talks", "q=sanctions+summit", "q=%22sanctions+summit%22", "q=talks+OR+drought", "q=talks+-ceasefire",
    "q=harb*", "q=sanctions*", "q=electio*+-talks", "q=officials", "q=headline:number", "q=nothingmatches",
    "q=talks+sanctions+summit", "q=talks+OR+drought+OR+harbour", "q=ta*", "q=sa*+OR+ta*+OR+pipe*", "q=harb*+-talks",
    "q=headline:talks", "q=%22sanctions+summit%22+OR+drought", "q=talks+OR+drought&page=2", "q=ta*&sort=newest",
    "q=talks&actor=person-0", "q=officials&actor=person-1&actor=person-2", "q=officials&topic=topic-3",
    "q=officials&actor_any=person-3&actor_any=ruritania", "q=officials&actor_not=person-0&topic_not=topic-1",
    "q=officials&from=2020-01-04&to=2021-02-04", "q=officials&to=2020-01-01", "q=talks&sort=newest",
    "q=officials&sort=oldest&page=2",
    "actor=person-0", "topic=topic-3&from=2020-02-01", "actor_any=person-3&actor_any=ruritania&sort=oldest",
    "actor_not=person-0", "from=2022-01-01", "page=2", "",
]


def run(querystring: str, columns: bool):
    filters, _ = parse_search_filters(QueryDict(querystring))
    with override_settings(SEARCH_COLUMNS=columns):
        return article_search(filters)


def dates_and_ids(page):
    return [(row.article.date, row.article.pk) for row in page.rows]


@pytest.mark.parametrize("querystring", QUERIES)
def test_column_path_matches_plain_path(edited_archive, querystring):
    assert_same_page(querystring)


@pytest.mark.parametrize("querystring", [query for query in QUERIES if "+" in query])
def test_large_many_word_queries_match_plain_path(edited_archive, querystring, monkeypatch):
    # Above ONE_PASS_MATCHES a many-word query is matched, then only its top page scored.
    from articles.search.engines.whoosh import column_search

    monkeypatch.setattr(column_search, "ONE_PASS_MATCHES", 0)
    assert_same_page(querystring)


def assert_same_page(querystring: str) -> None:
    plain, fast = run(querystring, columns=False), run(querystring, columns=True)
    assert fast.count == plain.count
    assert fast.num_pages == plain.num_pages
    assert fast.facets == plain.facets
    if "q=" not in querystring or "sort=" in querystring:
        # Date order; Whoosh breaks ties between equal dates arbitrarily, the columns by id like the database.
        key = (lambda row: row) if "q=" not in querystring else (lambda row: row[0])
        assert [key(row) for row in dates_and_ids(fast)] == [key(row) for row in dates_and_ids(plain)]
    elif "actor" in querystring or "topic" in querystring or "from=" in querystring or "to=" in querystring:
        # With filters, haystack lets the filter terms add to the relevance score; the set is the same.
        assert {row.article.pk for row in fast.rows} == {row.article.pk for row in plain.rows}
    else:
        assert [row.article.pk for row in fast.rows] == [row.article.pk for row in plain.rows]
    plain_snippets = {row.article.pk: str(row.snippet) for row in plain.rows}
    fast_snippets = {row.article.pk: str(row.snippet) for row in fast.rows if row.article.pk in plain_snippets}
    assert fast_snippets == {pk: plain_snippets[pk] for pk in fast_snippets}


def created_at(articles, moment: datetime.datetime) -> None:
    Article.objects.filter(pk__in=[article.pk for article in articles]).update(created=moment)
    for article in Article.objects.filter(pk__in=[article.pk for article in articles]):
        with transaction.atomic():
            article.save(update_fields=["created"])  # reindexed with the new stamp


def test_as_of_matches_plain_path(edited_archive):
    created_at(edited_archive[20:], datetime.datetime(2030, 5, 5, 8, tzinfo=datetime.timezone.utc))
    for querystring in ("q=officials&as_of=2030-05-04", "as_of=2030-05-04", "q=officials&as_of=2030-05-05"):
        plain, fast = run(querystring, columns=False), run(querystring, columns=True)
        assert (fast.count, fast.facets) == (plain.count, plain.facets), querystring
    assert run("q=officials&as_of=2030-05-04", columns=True).count == 20  # 36 left after deletes, 16 of them later


def test_as_of_leaves_out_an_article_added_at_midnight_after_the_day(edited_archive):
    # Whoosh's exclusive range end ("created:{to X}") keeps a document stamped exactly X,
    # so the plain path counts it here; the columns compare strictly.
    created_at(edited_archive[20:], datetime.datetime(2030, 5, 5, tzinfo=datetime.timezone.utc))
    assert run("q=officials&as_of=2030-05-04", columns=True).count == 20
    assert run("as_of=2030-05-04", columns=True).count == run("as_of=2030-05-04", columns=False).count == 20


def test_a_text_query_page_past_the_end_is_out_of_range(edited_archive):
    page = run("q=officials&page=30", columns=True)
    assert page.out_of_range and page.rows == []  # as for filter-only views (the view answers 404)


def test_fast_path_follows_edits_between_searches(search_index, make_article):
    article = make_article("Harbour pilots struck in Ruritania.", actors=[ACTORS[-1]])
    assert run("actor=ruritania&q=harbour", columns=True).count == 1
    with transaction.atomic():
        article.actors.clear()
    assert run("actor=ruritania&q=harbour", columns=True).count == 0
    assert run("q=harbour", columns=True).facets.actors == {}
    with transaction.atomic():
        article.delete()
    assert run("q=harbour", columns=True).count == 0


def test_fast_path_sees_an_index_recreated_in_place(search_index, make_article):
    from articles.search.indexing import index_clear

    first = make_article("Tariffs on harbour cranes.")
    assert run("q=tariffs", columns=True).count == 1
    Article.objects.filter(pk=first.pk).delete()  # not queued: the index still holds it
    index_clear()  # the same directory, generation numbers starting again
    assert run("q=tariffs", columns=True).count == 0
    make_article("Tariffs on wheat.", date="2021-01-01")
    page = run("q=tariffs", columns=True)
    assert [row.article.body for row in page.rows] == ["Tariffs on wheat."]


def test_filter_only_views_fall_back_to_the_database_without_an_index(edited_archive, settings):
    from tests.engines import remove_index

    expected = run("actor=person-0", columns=False)
    remove_index(settings.INDEX_DIR)
    try:
        page = run("actor=person-0", columns=True)
        assert (page.count, dates_and_ids(page)) == (expected.count, dates_and_ids(expected))
    finally:
        settings.INDEX_DIR.mkdir()  # the search_index fixture recreates the index in it


def test_rebuild_saves_the_columns_of_every_segment(edited_archive):
    from haystack import connections

    from articles.search.engines.whoosh.columns import columns_dir
    from articles.search.rebuild import index_rebuild

    index_rebuild()
    backend = connections["default"].get_backend()
    backend.setup()
    index = backend.index.refresh()
    with index.searcher() as searcher:
        segments = {leaf.reader().segment().segment_id() for leaf, _ in searcher.leaf_searchers()}
    saved = {path.name.split(".")[0] for path in columns_dir().glob("*.npz")}
    assert saved == segments  # the old index's columns are gone with it
    assert run("q=officials&actor=person-0", columns=True).count == run("q=officials&actor=person-0", columns=False).count


def test_a_new_worker_loads_the_index_before_its_first_request(edited_archive):
    from articles.search.engines.whoosh import columns
    from articles.warmup import warm_up

    columns._generation_cache.clear()
    warm_up()
    assert columns._generation_cache  # the first search finds the columns loaded


@pytest.mark.parametrize("weights", [[1.0, 3.0, 1.0, 2.0, 3.0], [1.5, 3.0, 1.5, 2.25, 3.0]])
def test_scores_per_distinct_weight_and_length_equal_scoring_each_document(weights):
    """Whole-number weights (plain postings) and boosted ones take different keys to the same scores."""
    import numpy as np

    from articles.search.engines.whoosh.matching import word_scores

    class Scorer:
        def _score(self, weight, length):
            return weight * 10 + length / 1000

    lengths = np.array([120, 120, 120, 640, 640], dtype=np.int32)
    expected = [Scorer()._score(weight, int(length)) for weight, length in zip(weights, lengths)]
    assert word_scores(Scorer(), np.array(weights), lengths).tolist() == expected


def test_bm25f_scores_over_arrays_are_whooshs_scores_bit_for_bit():
    """The formula over arrays gives each posting exactly the float Whoosh's BM25FScorer._score returns."""
    import numpy as np
    from whoosh.scoring import BM25FScorer

    from articles.search.engines.whoosh.matching import word_scores

    rng = np.random.default_rng(11)
    for idf, avgfl, B, K1 in [(1.0, 1, 0.75, 1.2), (7.31, 412.6, 0.75, 1.2), (0.0123, 3.3, 1.0, 1.5), (12.9, 88.0, 0.3, 2.0)]:
        scorer = object.__new__(BM25FScorer)  # a searcher's statistics, without the searcher
        scorer.idf, scorer.avgfl, scorer.B, scorer.K1 = idf, avgfl, B, K1
        lengths = rng.integers(1, 2_000_000, 5000).astype(np.int32)
        for weights in (rng.integers(1, 60, 5000).astype(np.float64), rng.random(5000) * 40 + 0.5):
            expected = [scorer._score(float(weight), int(length)) for weight, length in zip(weights, lengths)]
            assert word_scores(scorer, weights, lengths).tolist() == expected


def test_keyword_counts_and_filters_agree_with_counting_each_document():
    """Few selected documents gather their own pairs, many scan all pairs: both count as a plain loop."""
    import numpy as np

    from articles.search.engines.whoosh.columns import Keywords

    rng = np.random.default_rng(3)
    size, vocab = 60, tuple(f"label-{n}" for n in range(7))
    carried = {doc: set(rng.choice(len(vocab), rng.integers(0, 4), replace=False).tolist()) for doc in range(size - 5)}
    pairs = [(term, doc) for doc, terms in carried.items() for term in sorted(terms)]  # term order, as read from the index
    pairs.sort()
    keywords = Keywords.in_document_order(np.array([d for _, d in pairs], dtype=np.int32),
                                          np.array([t for t, _ in pairs], dtype=np.int32), vocab)
    for share in (0.1, 0.4, 0.9):
        selected = rng.random(size) < share
        expected = {}
        for doc in np.flatnonzero(selected):
            for term in carried.get(doc, ()):
                expected[vocab[term]] = expected.get(vocab[term], 0) + 1
        assert keywords.counts(selected) == expected
    for values in (["label-2"], ["label-2", "label-5"], ["unknown"]):
        wanted = {vocab.index(value) for value in values if value in vocab}
        assert keywords.carrying(values, size).tolist() == [bool(carried.get(doc, set()) & wanted) for doc in range(size)]


@pytest.mark.parametrize("phrase", ['"sanctions summit"', '"talks sanctions summit"', '"talks talks"',
                                    '"summit talks ceasefire harbour"', '"said officials"', '"drought nothingmatches"'])
def test_phrase_matches_and_scores_equal_whoosh_own(edited_archive, make_article, phrase):
    """Every match of a phrase with Whoosh's exact score: the order of relevance pages follows from it."""
    make_article("The summit talks ceasefire harbour plan: talks sanctions summit. Talks talks talks, said officials.")
    make_article("Talks sanctions summit, then summit talks ceasefire harbour and talks, talks again.")
    from whoosh.query import Phrase

    from articles.search.engines.whoosh.backend import search_backend
    from articles.search.engines.whoosh.columns import searcher_columns
    from articles.search.engines.whoosh.matching import match_query
    from articles.search.engines.whoosh.query import whoosh_query
    from articles.search.engines.whoosh.searchers import current_searcher
    from articles.search.query import read_query

    backend = search_backend()
    searcher = current_searcher(backend)
    query = whoosh_query(backend, read_query(phrase)[0])
    assert isinstance(query, Phrase)
    whoosh_own = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
    for _ in ("matched", "kept for the phrase"):  # recent.kept_phrase answers the second time
        docnums, scores = match_query(searcher, query, searcher_columns(searcher))
        live = {docnum for docnum in docnums.tolist() if not searcher.ixreader.is_deleted(docnum)}
        assert {docnum: score for docnum, score in zip(docnums.tolist(), scores.tolist()) if docnum in live} == whoosh_own
    assert len(whoosh_own) >= (0 if "nothingmatches" in phrase else 2)


def test_common_words_kept_with_the_columns_give_the_same_pages(edited_archive, monkeypatch):
    """A large segment keeps its common words' postings with its columns, saved, then mapped by the next worker."""
    import numpy as np

    from articles.search.engines.whoosh import columns, postings
    from articles.search.engines.whoosh.backend import search_backend
    from articles.search.engines.whoosh.searchers import current_searcher

    monkeypatch.setattr(postings, "FREQUENT_MIN_DOCS", 0)
    monkeypatch.setattr(postings, "FREQUENT_SHARE", 0.3)
    for path in [*columns.columns_dir().glob("*.npz"), *columns.columns_dir().glob("*.npy")]:
        path.unlink()
    columns._segment_cache.clear()
    columns._generation_cache.clear()
    searcher = current_searcher(search_backend())
    kept = set()
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        frequent = columns.segment_columns(reader).frequent
        kept |= set(frequent)
        for word, kept_postings in frequent.items():
            read = postings.read_postings(reader, word.encode())
            assert all(np.array_equal(a, b) for a, b in zip(kept_postings, read))
    assert {"said", "offici"} <= kept  # in every article
    assert "nothingmatch" not in kept

    columns._segment_cache.clear()  # the next worker loads them from the saved files
    columns._generation_cache.clear()
    leaf = searcher.leaf_searchers()[0][0]
    loaded = columns.segment_columns(leaf.reader()).frequent
    read = postings.frequent_postings(leaf.reader())
    assert set(loaded) == set(read)
    for word, (ids, weights) in loaded.items():
        assert isinstance(ids, np.memmap) and isinstance(weights, np.memmap)
        assert np.array_equal(ids, read[word][0]) and np.array_equal(weights, read[word][1])
    for querystring in ("q=officials", "q=said&sort=oldest", "q=talks", "q=officials&actor=person-1"):
        assert_same_page(querystring)

    segment_id = leaf.reader().segment().segment_id()
    mapped = list(columns.columns_dir().glob(f"{segment_id}.*.npy"))
    assert len(mapped) == 2
    for path in mapped:  # lost: the segment is read again
        path.unlink()
    columns._segment_cache.clear()
    columns._generation_cache.clear()
    again = columns.segment_columns(leaf.reader()).frequent
    assert set(again) == set(read) and all(np.array_equal(again[word][0], read[word][0]) for word in read)


def test_columns_of_gone_segments_and_of_older_layouts_are_deleted(edited_archive):
    from articles.search.engines.whoosh import columns
    from articles.search.engines.whoosh.backend import search_backend

    columns.columns_prepare(search_backend())
    directory = columns.columns_dir()
    kept = sorted(path.name for path in directory.iterdir())
    assert kept and all(f".v{columns._FORMAT_VERSION}." in name for name in kept)
    version = f"v{columns._FORMAT_VERSION}"
    stale = [directory / kept[0].replace(f".{version}.", ".v4."),
             directory / f"MAIN_gone.{version}.npz", directory / f"MAIN_gone.{version}.frequent_ids.npy"]
    for path in stale:
        path.write_bytes(b"")
    columns.columns_prepare(search_backend())
    assert sorted(path.name for path in directory.iterdir()) == kept


def test_ordering_only_the_first_of_many_matches_gives_the_same_first_results():
    """The page's slice is ordered alone; it equals the head of ordering every match, ties included."""
    import numpy as np

    from articles.search.engines.whoosh.column_search import _best_first, _by_date
    from articles.search.engines.whoosh.columns import Columns

    rng = np.random.default_rng(5)
    size = 500
    docnums = np.arange(size)
    scores = rng.choice([1.5, 2.25, 3.0, 0.75], size)  # many equal scores
    selected = rng.random(size) < 0.8
    columns = Columns(
        article_ids=rng.permutation(size).astype(np.int64) + 1, days=rng.integers(-3, 3, size).astype(np.int32),
        created=np.zeros(size, dtype=np.int64), is_version=np.zeros(size, dtype=bool),
        lengths={}, live=np.ones(size, dtype=bool), keywords={},
    )
    everything = _best_first(columns, docnums, scores, selected)
    expected_order = sorted(np.flatnonzero(selected), key=lambda d: (-scores[d], -columns.days[d], -columns.article_ids[d]))
    assert everything.tolist() == expected_order  # score, then newer, then higher id
    for end in (1, 20, 37, 399, 1000):
        assert _best_first(columns, docnums, scores, selected, end).tolist() == everything[:end].tolist()
        for sort in ("newest", "oldest"):
            expected = sorted(np.flatnonzero(selected), key=lambda d: (columns.days[d], columns.article_ids[d]),
                              reverse=sort == "newest")[:end]
            assert _by_date(columns, selected, sort, end).tolist() == expected
