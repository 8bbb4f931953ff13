"""SQLite FTS5 beside the app's own SQLite tables: the same page in SQL.

An FTS5 table (porter unicode61 remove_diacritics 2) over headline + body of every original
article, attached to the app's database for filters, labels and facets. Filter-only and
label pages are plain SQL over the app's tables (what SQLite alone gives).
"""

import sqlite3
import time
from pathlib import Path

from .base import PeerBase
from .export import csv_text
from .sql import filter_conditions
from .spec import PAGE_SIZE, Spec, Term
from .spelling import suggest
from .page import Page

TOKENIZER = "porter unicode61 remove_diacritics 2"  # stemming + accent folding, like the app's analyzer
SNIPPET = "snippet(doc, 1, '<mark>', '</mark>', ' … ', 24)"
EXPORT_CHUNK = 500
LABEL_TABLES = {"actors": ("app.articles_article_actors", "app.articles_actor", "actor_id"),
                "topics": ("app.articles_article_topics", "app.articles_topic", "topic_id")}


def match_expression(spec: Spec) -> str:
    """'gas "power line" OR pipeline -oil headline:talks sanction*'
    -> '"gas" AND ("power line" OR "pipeline") AND headline : "talks" AND "sanction" * NOT ("oil")'."""
    def term(t: Term) -> str:
        text = '"' + " ".join(t.words) + '"' + (" *" if t.prefix else "")
        return f"headline : {text}" if t.field == "headline" else text

    def clause(terms) -> str:
        return "(" + " OR ".join(map(term, terms)) + ")" if len(terms) > 1 else term(terms[0])

    return " AND ".join(map(clause, spec.positive)) + "".join(f" NOT {clause(c)}" for c in spec.negative)


class Session:
    def __init__(self, fts_db: Path, app_db: Path):
        self.conn = sqlite3.connect(fts_db)
        self.conn.execute("ATTACH DATABASE ? AS app", (str(app_db),))
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, r REAL)")

    def close(self) -> None:
        self.conn.close()

    def _collect(self, spec: Spec) -> str | None:
        """Fill temp.hits with every match (id, bm25); return the MATCH expression (None: filters only).

        With filters, the matches and their bm25 are materialised once, then filtered: a plain
        `doc MATCH ? AND rowid IN (...)` makes SQLite probe the full-text index once per filtered id.
        """
        conn = self.conn
        conn.execute("DELETE FROM temp.hits")
        where, args = filter_conditions(spec, "id", "id IN (SELECT id FROM app.articles_article WHERE date BETWEEN ? AND ?)",
                                        LABEL_TABLES, "?")
        if not spec.clauses:
            conn.execute("INSERT INTO temp.hits SELECT id, 0 FROM app.articles_article WHERE version_of_id IS NULL"
                         + "".join(f" AND {condition}" for condition in where), args)
            return None
        match = match_expression(spec)
        conn.execute("WITH m AS MATERIALIZED (SELECT rowid AS id, rank AS r FROM doc WHERE doc MATCH ?) "
                     "INSERT INTO temp.hits SELECT id, r FROM m" + (" WHERE " + " AND ".join(where) if where else ""),
                     [match, *args])
        return match

    def _ordered(self, spec: Spec, limit: int, offset: int) -> list[int]:
        order = "h.r, h.id" if spec.sort == "relevance" else ("a.date, a.id" if spec.sort == "oldest" else "a.date DESC, a.id DESC")
        join = "" if spec.sort == "relevance" else " JOIN app.articles_article a ON a.id = h.id"
        return [row[0] for row in self.conn.execute(
            f"SELECT h.id FROM temp.hits h{join} ORDER BY {order} LIMIT ? OFFSET ?", (limit, offset))]

    def page(self, spec: Spec) -> Page:
        conn = self.conn
        match = self._collect(spec)
        ids = self._ordered(spec, PAGE_SIZE, spec.offset)
        marks = ",".join("?" * len(ids)) or "NULL"
        snippets = {}
        if match:
            snippets = dict(conn.execute(f"SELECT rowid, {SNIPPET} FROM doc WHERE doc MATCH ? AND rowid IN ({marks})", [match, *ids]))
        count = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        rows = conn.execute(f"SELECT id, headline, date, source FROM app.articles_article WHERE id IN ({marks})", ids).fetchall()
        labels = {}
        for article_id, name, kind, slug in conn.execute(
                f"SELECT aa.article_id, a.name, a.kind, a.slug FROM app.articles_article_actors aa "
                f"JOIN app.articles_actor a ON a.id = aa.actor_id WHERE aa.article_id IN ({marks}) "
                f"UNION ALL SELECT at.article_id, t.name, 'topic', t.slug FROM app.articles_article_topics at "
                f"JOIN app.articles_topic t ON t.id = at.topic_id WHERE at.article_id IN ({marks})", ids + ids):
            labels.setdefault(article_id, []).append((name, kind, slug))
        return Page(count, ids, rows, snippets, labels, self._facets())

    def _facets(self) -> dict[str, dict[str, int]]:
        conn = self.conn
        return {
            "actors": dict(conn.execute(
                "SELECT a.slug, count(*) FROM temp.hits h JOIN app.articles_article_actors aa ON aa.article_id = h.id "
                "JOIN app.articles_actor a ON a.id = aa.actor_id GROUP BY a.id")),
            "topics": dict(conn.execute(
                "SELECT t.slug, count(*) FROM temp.hits h JOIN app.articles_article_topics at ON at.article_id = h.id "
                "JOIN app.articles_topic t ON t.id = at.topic_id GROUP BY t.id")),
            "months": self._months(),
        }

    def _months(self) -> dict[str, int]:
        return dict(self.conn.execute(
            "SELECT substr(ar.date, 1, 7), count(*) FROM temp.hits h JOIN app.articles_article ar ON ar.id = h.id GROUP BY 1"))

    def months(self, spec: Spec) -> tuple[int, dict[str, int]]:
        self._collect(spec)
        return self.conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0], self._months()

    def export(self, spec: Spec) -> int:
        self._collect(spec)
        ids = self._ordered(spec, -1, 0)
        rows = []
        for start in range(0, len(ids), EXPORT_CHUNK):
            chunk = ids[start:start + EXPORT_CHUNK]
            found = {row[0]: row for row in self.conn.execute(
                "SELECT a.id, a.date, a.headline, a.source, "
                "(SELECT group_concat(x.name, '; ') FROM app.articles_article_actors l JOIN app.articles_actor x "
                " ON x.id = l.actor_id WHERE l.article_id = a.id), "
                "(SELECT group_concat(x.name, '; ') FROM app.articles_article_topics l JOIN app.articles_topic x "
                " ON x.id = l.topic_id WHERE l.article_id = a.id) "
                f"FROM app.articles_article a WHERE a.id IN ({','.join('?' * len(chunk))})", chunk)}
            rows += [found[article_id] for article_id in chunk if article_id in found]
        return csv_text(spec, rows)[1]

    def suggest(self, words: list[str]) -> list[str] | None:
        """Unknown words replaced by the closest vocabulary word among those sharing most
        trigrams with it (an FTS5 trigram table over the unstemmed vocabulary)."""
        return suggest(words, self._known, self._candidates)

    def _known(self, word: str) -> bool:
        return self.conn.execute("SELECT 1 FROM vocab WHERE term = ?", (word,)).fetchone() is not None

    def _candidates(self, word: str) -> list[str]:
        grams = sorted({word[i:i + 3] for i in range(len(word) - 2)})
        if not grams:
            return []
        return [row[0] for row in self.conn.execute("SELECT term FROM spell WHERE spell MATCH ? ORDER BY rank LIMIT 30",
                                                    (" OR ".join(f'"{gram}"' for gram in grams),))]


class Peer(PeerBase):
    name = "FTS5"
    about = (f"an FTS5 table (`{TOKENIZER}`) over headline + body of the same articles (similar versions left "
             "out), attached to the app's SQLite database: count, top 20 by bm25 (or by date) with `snippet()` of "
             "the body and the articles' actors/topics, actor/topic/month facet counts over all matches (SQL joins), "
             "filters as `IN` subqueries; filter-only and actor pages in plain SQL over the app's tables; "
             "\"did you mean\" from an FTS5 trigram table over the unstemmed vocabulary (candidates by shared "
             "trigrams, then edit distance); exports as SQL rows written with Python's csv")

    def __init__(self):
        self.fts_db = self.app_db = None

    def build(self, app_db: Path, work: Path) -> dict:
        """Build the FTS5 table and its vocabulary trigram table; return seconds and bytes."""
        self.app_db, self.fts_db = app_db, work / "fts5.sqlite3"
        self.fts_db.unlink(missing_ok=True)
        started = time.perf_counter()
        conn = sqlite3.connect(self.fts_db)
        conn.execute("ATTACH DATABASE ? AS app", (str(app_db),))
        conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(headline, body, tokenize='{TOKENIZER}')")
        conn.execute("INSERT INTO doc (rowid, headline, body) SELECT id, headline, body FROM app.articles_article "
                     "WHERE version_of_id IS NULL")
        conn.execute("INSERT INTO doc (doc) VALUES ('optimize')")
        # The vocabulary of "did you mean": unstemmed words (a contentless table, dropped once read).
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5(headline, body, content='', tokenize='unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO temp.words (rowid, headline, body) SELECT id, headline, body FROM app.articles_article "
                     "WHERE version_of_id IS NULL")
        conn.execute("CREATE VIRTUAL TABLE temp.vocab_rows USING fts5vocab(temp, words, 'row')")
        conn.execute("CREATE TABLE vocab (term TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("INSERT INTO vocab SELECT term FROM temp.vocab_rows WHERE term GLOB '[a-z]*'")
        conn.execute("CREATE VIRTUAL TABLE spell USING fts5(term, tokenize='trigram')")
        conn.execute("INSERT INTO spell (term) SELECT term FROM vocab")
        conn.commit()
        conn.close()
        return {"seconds": time.perf_counter() - started, "bytes": self.fts_db.stat().st_size}

    def open(self) -> Session:
        return Session(self.fts_db, self.app_db)
