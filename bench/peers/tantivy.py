"""tantivy (PyPI `tantivy`, pinned in bench/requirements.txt): the same page from one index.

One document per original article: `text` (headline + body, stemmed, stored for snippets),
`headline` (stemmed), `date` (fast), `actors` / `topics` / `month` (raw keywords, fast:
filters and terms aggregations), and stored `source` and `labels` (the article's actors and
topics as JSON, what the result row shows). Snippets from tantivy's SnippetGenerator;
facet counts from its terms aggregations over all matches; "did you mean" from a fuzzy
(Levenshtein automaton, distance 2) query over an index of the unstemmed vocabulary.
"""

import datetime
import json
import re
import shutil
import sqlite3
import time
from pathlib import Path

import tantivy

from .base import PeerBase
from .export import csv_text
from .page import Page
from .spec import PAGE_SIZE, Spec, Term
from .spelling import suggest

FACET_SIZE = 100_000  # terms aggregation buckets: every actor, not the top few
WORD = re.compile(r"\w+")


def analyzer(stem: bool = True):
    """Like the app's analyzer: split on non-letters, lower-case, fold accents, then Porter-style stemming."""
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
               .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()))
    return (builder.filter(tantivy.Filter.stemmer("english")) if stem else builder).build()


STEMMED, FOLDED = analyzer(), analyzer(stem=False)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", stored=True, tokenizer_name="newsdesk")
    builder.add_text_field("headline", stored=True, tokenizer_name="newsdesk")
    builder.add_date_field("date", stored=True, indexed=True, fast=True)
    for keyword in ("actors", "topics", "month"):
        builder.add_text_field(keyword, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("labels", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def vocabulary_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("word", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    index.register_tokenizer("newsdesk", STEMMED)
    return index


def day(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.timezone.utc)


class Session:
    def __init__(self, path: Path):
        self.index = open_index(path / "articles")
        self.searcher = self.index.searcher()
        self.schema = self.index.schema
        self.vocabulary = tantivy.Index.open(str(path / "vocabulary")).searcher()
        self.vocabulary_schema = vocabulary_schema()

    def close(self) -> None:
        pass

    def _term(self, term: Term) -> tantivy.Query | None:
        field = term.field or "text"
        if term.prefix:  # the prefix is folded, not stemmed, and matched against the stemmed terms (as the app does)
            return tantivy.Query.regex_query(self.schema, field, re.escape(FOLDED.analyze(term.words[0])[0]) + ".*")
        tokens = STEMMED.analyze(" ".join(term.words))
        if not tokens:
            return None
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, tokens)

    def query(self, spec: Spec) -> tantivy.Query:
        Occur, Query = tantivy.Occur, tantivy.Query
        parts = []
        for clause in spec.clauses:
            terms = [q for q in map(self._term, clause) if q is not None]
            if not terms:
                continue
            either = terms[0] if len(terms) == 1 else Query.boolean_query([(Occur.Should, q) for q in terms])
            parts.append((Occur.MustNot if clause[0].negated else Occur.Must, either))
        if spec.date_from or spec.date_to:
            parts.append((Occur.Must, Query.range_query(self.schema, "date", tantivy.FieldType.Date,
                                                        day(spec.date_from) if spec.date_from else None,
                                                        day(spec.date_to) if spec.date_to else None)))
        for field, slug, excluded in spec.label_filters():
            parts.append((Occur.MustNot if excluded else Occur.Must, Query.term_query(self.schema, field, slug)))
        if not any(occur == Occur.Must for occur, _ in parts):
            parts.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(parts)

    def _search(self, spec: Spec, query, limit: int, offset: int = 0):
        if spec.sort == "relevance":
            return self.searcher.search(query, limit, count=True, offset=offset)
        direction = tantivy.Order.Asc if spec.sort == "oldest" else tantivy.Order.Desc
        return self.searcher.search(query, limit, count=True, offset=offset, order_by_field="date", order=direction)

    def page(self, spec: Spec) -> Page:
        query = self.query(spec)
        result = self._search(spec, query, PAGE_SIZE, spec.offset)
        docs = [self.searcher.doc(address) for _, address in result.hits]
        ids = [doc.get_first("id") for doc in docs]
        snippets = {}
        if spec.clauses and docs:
            generator = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
            generator.set_max_num_chars(220)
            snippets = {article_id: generator.snippet_from_doc(doc).to_html() for article_id, doc in zip(ids, docs)}
        rows = [(article_id, doc.get_first("headline"), doc.get_first("date"), doc.get_first("source"))
                for article_id, doc in zip(ids, docs)]
        labels = {article_id: json.loads(doc.get_first("labels")) for article_id, doc in zip(ids, docs)}
        return Page(result.count, ids, rows, snippets, labels, self._facets(query, ("actors", "topics", "month")))

    def _facets(self, query, fields) -> dict[str, dict[str, int]]:
        aggregations = self.searcher.aggregate(query, {field: {"terms": {"field": field, "size": FACET_SIZE}} for field in fields})
        return {("months" if field == "month" else field): {b["key"]: b["doc_count"] for b in aggregations[field]["buckets"]}
                for field in fields}

    def months(self, spec: Spec) -> tuple[int, dict[str, int]]:
        months = self._facets(self.query(spec), ("month",))["months"]
        return sum(months.values()), months  # one month per article

    def export(self, spec: Spec) -> int:
        query = self.query(spec)
        result = self._search(spec, query, max(1, self.searcher.num_docs))
        rows = []
        for _, address in result.hits:
            doc = self.searcher.doc(address)
            labels = json.loads(doc.get_first("labels"))
            rows.append((doc.get_first("id"), doc.get_first("date").date(), doc.get_first("headline"), doc.get_first("source"),
                         "; ".join(name for name, kind, _ in labels if kind != "topic"),
                         "; ".join(name for name, kind, _ in labels if kind == "topic")))
        return csv_text(spec, rows)[1]

    def suggest(self, words: list[str]) -> list[str] | None:
        """Unknown words replaced by the closest vocabulary word within edit distance 2 (a fuzzy term query)."""
        return suggest(words, self._known, self._candidates, normalise=lambda word: "".join(FOLDED.analyze(word)) or word.lower())

    def _known(self, word: str) -> bool:
        return self.vocabulary.search(tantivy.Query.term_query(self.vocabulary_schema, "word", word), 1).count > 0

    def _candidates(self, word: str) -> list[str]:
        fuzzy = tantivy.Query.fuzzy_term_query(self.vocabulary_schema, "word", word, distance=2)
        return [self.vocabulary.doc(address).get_first("word") for _, address in self.vocabulary.search(fuzzy, 30).hits]


class Peer(PeerBase):
    name = "tantivy"
    about = ("one tantivy index of the same articles (similar versions left out): `text` = headline + body and "
             "`headline`, both with an analyzer like the app's (simple tokenizer, lower case, ASCII folding, English "
             "stemmer), a fast `date`, raw fast `actors`/`topics`/`month` keywords, stored `source` and the row's "
             "actors/topics as JSON; the query is built with tantivy's Query API (term, phrase, regex for a prefix, "
             "boolean with Must/Should/MustNot, date range, keyword terms); count and top 20 by BM25 (or by the "
             "date fast field) in one search, snippets from its SnippetGenerator (over headline + body), "
             "actor/topic/month counts over all matches from terms aggregations; \"did you mean\" from a fuzzy term "
             "query (edit distance 2) over an index of the unstemmed vocabulary; cold = first run on a newly opened index")

    def __init__(self):
        self.path = None

    def build(self, app_db: Path, work: Path) -> dict:
        """Index the articles and the vocabulary; return seconds and bytes."""
        self.path = work / "tantivy"
        shutil.rmtree(self.path, ignore_errors=True)
        (self.path / "articles").mkdir(parents=True)
        (self.path / "vocabulary").mkdir()
        started = time.perf_counter()
        index = tantivy.Index(schema(), path=str(self.path / "articles"), reuse=False)
        index.register_tokenizer("newsdesk", STEMMED)
        writer = index.writer(heap_size=256_000_000)
        source = sqlite3.connect(app_db)
        labels = {}
        for article_id, name, kind, slug in source.execute(
                "SELECT l.article_id, x.name, x.kind, x.slug FROM articles_article_actors l JOIN articles_actor x ON x.id = l.actor_id "
                "UNION ALL SELECT l.article_id, x.name, 'topic', x.slug FROM articles_article_topics l "
                "JOIN articles_topic x ON x.id = l.topic_id"):
            labels.setdefault(article_id, []).append((name, kind, slug))
        vocabulary = set()
        for article_id, headline, body, date, source_name in source.execute(
                "SELECT id, headline, body, date, source FROM articles_article WHERE version_of_id IS NULL"):
            doc = tantivy.Document()
            doc.add_integer("id", article_id)
            doc.add_text("text", f"{headline}\n\n{body}")
            doc.add_text("headline", headline)
            doc.add_date("date", day(date))
            doc.add_text("month", date[:7])
            for name, kind, slug in labels.get(article_id, ()):
                doc.add_text("topics" if kind == "topic" else "actors", slug)
            doc.add_text("source", source_name)
            doc.add_text("labels", json.dumps(labels.get(article_id, [])))
            writer.add_document(doc)
            vocabulary.update(WORD.findall(f"{headline} {body}".lower()))
        writer.commit()
        writer.wait_merging_threads()
        source.close()
        words = tantivy.Index(vocabulary_schema(), path=str(self.path / "vocabulary"), reuse=False)
        writer = words.writer(heap_size=64_000_000)
        for word in sorted(vocabulary):
            doc = tantivy.Document()
            doc.add_text("word", word)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        size = sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return {"seconds": time.perf_counter() - started, "bytes": size}

    def open(self) -> Session:
        return Session(self.path)
