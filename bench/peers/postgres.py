"""PostgreSQL full-text search over its own copy of the articles: the same page in SQL.

The articles, actors, topics and their links are copied from the app's SQLite database into
schema `bench`; each article has a stored tsvector (english; headline weight A, body B) with
a GIN index. One statement gives count, top ids and the facets over all matches; snippets
come from ts_headline over the page's 20 bodies.
"""

import dataclasses
import sqlite3
import time
from pathlib import Path

from .base import PeerBase
from .export import csv_text
from .page import Page
from .pg_server import Server
from .sql import filter_conditions
from .spec import PAGE_SIZE, Spec, Term
from .spelling import suggest

HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "'
LABEL_TABLES = {"actors": ("bench.article_actor", "bench.actor", "actor_id"),
                "topics": ("bench.article_topic", "bench.topic", "topic_id")}
SCHEMA = """
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.article (
    id integer PRIMARY KEY, headline text NOT NULL, body text NOT NULL, date date NOT NULL, source text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', headline), 'A')
                                      || setweight(to_tsvector('english', body), 'B')) STORED,
    headline_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', headline)) STORED);
CREATE TABLE bench.actor (id integer PRIMARY KEY, slug text UNIQUE NOT NULL, name text NOT NULL, kind text NOT NULL);
CREATE TABLE bench.topic (id integer PRIMARY KEY, slug text UNIQUE NOT NULL, name text NOT NULL);
CREATE TABLE bench.article_actor (article_id integer NOT NULL, actor_id integer NOT NULL, PRIMARY KEY (article_id, actor_id));
CREATE TABLE bench.article_topic (article_id integer NOT NULL, topic_id integer NOT NULL, PRIMARY KEY (article_id, topic_id));
"""
INDEXES = """
CREATE INDEX article_tsv ON bench.article USING gin (tsv);
CREATE INDEX article_headline_tsv ON bench.article USING gin (headline_tsv);
CREATE INDEX article_date ON bench.article (date, id);
CREATE INDEX article_actor_by_actor ON bench.article_actor (actor_id, article_id);
CREATE INDEX article_topic_by_topic ON bench.article_topic (topic_id, article_id);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE bench.word AS SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', headline || '' '' || body) FROM bench.article');
ALTER TABLE bench.word ADD PRIMARY KEY (word);
CREATE INDEX word_trigrams ON bench.word USING gin (word gin_trgm_ops);
VACUUM ANALYZE;
"""


def tsquery_text(spec: Spec, weights: bool = True) -> str:
    """'gas "power line" OR pipeline -oil headline:talks sanction*'
    -> "gas & (power <-> line | pipeline) & talks:A & sanction:* & !oil" (for to_tsquery('english', ...))."""
    def term(t: Term) -> str:
        weight = "A" if t.field == "headline" and weights else ""
        suffix = (":*" + weight) if t.prefix else (":" + weight if weight else "")
        return " <-> ".join(word + suffix for word in t.words)

    def clause(terms) -> str:
        return "(" + " | ".join(map(term, terms)) + ")" if len(terms) > 1 else term(terms[0])

    return " & ".join([clause(c) for c in spec.positive] + [f"!{clause(c)}" for c in spec.negative])


def headline_prefilter(spec: Spec) -> tuple[list[str], list]:
    """`headline:` clauses also as conditions on the headline's own GIN index.

    The GIN index of `tsv` does not store weights: `talks:A` alone rechecks every article
    with "talks" anywhere. The same clause on `headline_tsv` gives the planner a selective index.
    """
    clauses = [c for c in spec.positive if all(t.field == "headline" for t in c)]
    return (["a.headline_tsv @@ to_tsquery('english', %s)"] * len(clauses),
            [tsquery_text(dataclasses.replace(spec, clauses=(c,)), weights=False) for c in clauses])


def conditions(spec: Spec) -> tuple[str, list]:
    """SQL conditions on article `a` (and tsquery `q` when the spec has text), with their arguments."""
    where, args = headline_prefilter(spec)
    filters, filter_args = filter_conditions(spec, "a.id", "a.date BETWEEN %s AND %s", LABEL_TABLES, "%s")
    return " AND ".join((["a.tsv @@ q"] if spec.clauses else ["true"]) + where + filters), args + filter_args


def matches(spec: Spec, rank: bool) -> tuple[str, list]:
    """`m AS MATERIALIZED (id, date, r)`: every match, with ts_rank when ordering by relevance."""
    where, args = conditions(spec)
    source = ", to_tsquery('english', %s) q" if spec.clauses else ""
    score = "ts_rank(a.tsv, q)" if rank and spec.clauses and spec.sort == "relevance" else "0::real"
    return (f"m AS MATERIALIZED (SELECT a.id, a.date, {score} AS r FROM bench.article a{source} WHERE {where})",
            ([tsquery_text(spec)] if spec.clauses else []) + args)


def order(spec: Spec, table: str = "") -> str:
    """ORDER BY of the view over `m` (table="m." where other tables are joined)."""
    order_by = {"relevance": "{t}r DESC, {t}id", "oldest": "{t}date, {t}id"}.get(spec.sort, "{t}date DESC, {t}id DESC")
    return order_by.format(t=table)


class Session:
    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def page(self, spec: Spec) -> Page:
        cte, args = matches(spec, rank=True)
        count, ids, facets = 0, [], {"actors": {}, "topics": {}, "months": {}}
        for what, key, n in self.conn.execute(
                f"WITH {cte} "
                "SELECT 'count', '', count(*) FROM m "
                "UNION ALL SELECT 'ids', array_to_string(array(SELECT id FROM m ORDER BY "
                f"{order(spec)} LIMIT {PAGE_SIZE} OFFSET {spec.offset}), ','), 0 "
                "UNION ALL SELECT 'actors', x.slug, count(*) FROM m JOIN bench.article_actor l ON l.article_id = m.id "
                "JOIN bench.actor x ON x.id = l.actor_id GROUP BY x.slug "
                "UNION ALL SELECT 'topics', x.slug, count(*) FROM m JOIN bench.article_topic l ON l.article_id = m.id "
                "JOIN bench.topic x ON x.id = l.topic_id GROUP BY x.slug "
                "UNION ALL SELECT 'months', to_char(date, 'YYYY-MM'), count(*) FROM m GROUP BY 2", args):
            if what == "count":
                count = n
            elif what == "ids":
                ids = [int(i) for i in key.split(",") if i]
            else:
                facets[what][key] = n
        if spec.clauses:
            rows = self.conn.execute(
                "SELECT a.id, a.headline, a.date, a.source, ts_headline('english', a.body, q, %s) "
                "FROM bench.article a, to_tsquery('english', %s) q WHERE a.id = ANY(%s)",
                [HEADLINE_OPTIONS, tsquery_text(spec), ids]).fetchall()
        else:
            rows = self.conn.execute("SELECT id, headline, date, source, NULL FROM bench.article WHERE id = ANY(%s)", [ids]).fetchall()
        labels = {}
        for article_id, name, kind, slug in self.conn.execute(
                "SELECT l.article_id, x.name, x.kind, x.slug FROM bench.article_actor l JOIN bench.actor x "
                "ON x.id = l.actor_id WHERE l.article_id = ANY(%s) UNION ALL SELECT l.article_id, x.name, 'topic', x.slug "
                "FROM bench.article_topic l JOIN bench.topic x ON x.id = l.topic_id WHERE l.article_id = ANY(%s)", [ids, ids]):
            labels.setdefault(article_id, []).append((name, kind, slug))
        return Page(count, ids, [row[:4] for row in rows], {row[0]: row[4] for row in rows if row[4]}, labels, facets)

    def months(self, spec: Spec) -> tuple[int, dict[str, int]]:
        cte, args = matches(spec, rank=False)
        rows = self.conn.execute(f"WITH {cte} SELECT to_char(date, 'YYYY-MM'), count(*) FROM m GROUP BY 1", args).fetchall()
        return sum(n for _, n in rows), dict(rows)

    def export(self, spec: Spec) -> int:
        cte, args = matches(spec, rank=True)
        rows = self.conn.execute(
            f"WITH {cte} SELECT a.id, a.date, a.headline, a.source, "
            "(SELECT string_agg(x.name, '; ') FROM bench.article_actor l JOIN bench.actor x ON x.id = l.actor_id "
            " WHERE l.article_id = a.id), "
            "(SELECT string_agg(x.name, '; ') FROM bench.article_topic l JOIN bench.topic x ON x.id = l.topic_id "
            f" WHERE l.article_id = a.id) FROM m JOIN bench.article a ON a.id = m.id ORDER BY {order(spec, 'm.')}",
            args)
        return csv_text(spec, rows)[1]

    def suggest(self, words: list[str]) -> list[str] | None:
        """Unknown words replaced by the closest of the words most similar to it by trigrams (pg_trgm)."""
        return suggest(words, self._known, self._candidates)

    def _known(self, word: str) -> bool:
        return self.conn.execute("SELECT 1 FROM bench.word WHERE word = %s", [word]).fetchone() is not None

    def _candidates(self, word: str) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT word FROM bench.word WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT 30", [word, word])]


class Peer(PeerBase):
    name = "PostgreSQL"
    about = ("its own copy of the articles (similar versions left out), actors, topics and links in a PostgreSQL server "
             "on loopback; a stored `tsvector` (`english`; headline weight A, body B) with a GIN index; one "
             "statement gives the count, the top 20 by `ts_rank` (or by date) and actor/topic/month facet counts over "
             "all matches (a materialised CTE joined to the link tables), a second `ts_headline` snippets of the 20 "
             "bodies, a third the 20 articles' actors/topics; `headline:` is weight A (plus the same clause on a GIN-indexed headline-only `tsvector`, so it is selective); \"did you mean\" from `pg_trgm` "
             "over the unstemmed vocabulary (`ts_stat`, GIN trigram index) then edit distance; cold = first run on a "
             "new connection (a new backend; the server's shared buffers stay warm)")

    def __init__(self):
        self.server, self.url = Server(), ""

    def build(self, app_db: Path, work: Path) -> dict:
        """Start (or reach) the server, copy the articles and labels, build the indexes; return seconds and bytes."""
        import psycopg

        self.url = self.server.start()
        started = time.perf_counter()
        source = sqlite3.connect(app_db)
        with psycopg.connect(self.url, autocommit=True) as conn:
            for statement in filter(str.strip, SCHEMA.split(";")):
                conn.execute(statement)
            tables = {
                "article (id, headline, body, date, source)":
                    "SELECT id, headline, body, date, source FROM articles_article WHERE version_of_id IS NULL",
                "actor (id, slug, name, kind)": "SELECT id, slug, name, kind FROM articles_actor",
                "topic (id, slug, name)": "SELECT id, slug, name FROM articles_topic",
                "article_actor (article_id, actor_id)": "SELECT l.article_id, l.actor_id FROM articles_article_actors l "
                    "JOIN articles_article a ON a.id = l.article_id WHERE a.version_of_id IS NULL",
                "article_topic (article_id, topic_id)": "SELECT l.article_id, l.topic_id FROM articles_article_topics l "
                    "JOIN articles_article a ON a.id = l.article_id WHERE a.version_of_id IS NULL",
            }
            for table, select in tables.items():
                with conn.cursor().copy(f"COPY bench.{table} FROM STDIN") as copy:
                    for row in source.execute(select):
                        copy.write_row(row)
            for statement in filter(str.strip, INDEXES.split(";")):
                conn.execute(statement)
            size = conn.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                                "ON n.oid = c.relnamespace WHERE n.nspname = 'bench' AND c.relkind = 'r'").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
        source.close()
        return {"seconds": time.perf_counter() - started, "bytes": int(size), "version": version}

    def open(self) -> Session:
        return Session(self.url)

    def live_pids(self) -> list[int]:
        return self.server.live_pids()

    def close(self) -> None:
        self.server.stop()
