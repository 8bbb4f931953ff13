"""The query mix (bench/queries.json): placeholders filled from the database, each query with
its kind, URL and what the peers compute for it (bench/peers/spec.py)."""

import json
import re
import sqlite3
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MIX = BENCH / "queries.json"
EXPORT_ROWS = 10_000  # {date_10k}: the date by which this many articles have appeared


def resolve_placeholders(db: Path) -> dict[str, str]:
    """Pick real slugs, names, ids and dates from the database, deterministically (see queries.json)."""
    from django.utils.text import slugify  # the app's own slug rule for article URLs

    conn = sqlite3.connect(db)
    values = {}
    for kind in ("person", "country", "organisation"):
        rows = conn.execute(
            "SELECT a.slug, a.name FROM articles_actor a JOIN articles_article_actors aa ON aa.actor_id = a.id "
            "WHERE a.kind = ? GROUP BY a.id ORDER BY count(*) DESC, a.slug", (kind,)).fetchall()
        values.update({f"actor_{kind}_{rank}": slug for rank, (slug, _) in enumerate(rows[:10], 1)})
        if kind == "person":
            for rank in (100, 300, 1000):
                values[f"person_name_{rank}"] = rows[min(rank, len(rows)) - 1][1]
    rows = conn.execute(
        "SELECT t.slug FROM articles_topic t JOIN articles_article_topics at ON at.topic_id = t.id "
        "GROUP BY t.id ORDER BY count(*) DESC, t.slug LIMIT 10").fetchall()
    values.update({f"topic_{rank}": slug for rank, (slug,) in enumerate(rows, 1)})
    total = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    for name, share in (("article_mid", 2), ("article_q1", 4), ("article_q3", 4 / 3)):
        article_id, headline = conn.execute("SELECT id, headline FROM articles_article ORDER BY id LIMIT 1 OFFSET ?",
                                            (int(total / share),)).fetchone()
        values[name] = str(article_id)
        values[f"{name}_slug"] = slugify(headline)[:80].strip("-") or "article"
    values["date_10k"] = conn.execute("SELECT date FROM articles_article ORDER BY date LIMIT 1 OFFSET ?",
                                      (min(EXPORT_ROWS, total) - 1,)).fetchone()[0]
    conn.close()
    return values


def kinds() -> list[dict]:
    """[{kind, group}] in report order."""
    return json.loads(MIX.read_text())["kinds"]


def load_queries(values: dict[str, str]) -> list[dict]:
    """Read queries.json and fill its placeholders: [{name, kind, group, url, path, params, text, ...}]."""
    def fill(text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)

    mix = json.loads(MIX.read_text())
    groups = {kind["kind"]: kind["group"] for kind in mix["kinds"]}
    queries = []
    for spec in mix["queries"]:
        params = {key: [fill(v) for v in value] if isinstance(value, list) else fill(value)
                  for key, value in spec["params"].items()}
        path = fill(spec["path"])
        url = path + ("?" + urllib.parse.urlencode(params, doseq=True, safe=":") if params else "")
        queries.append({"name": spec["name"], "kind": spec["kind"], "group": groups[spec["kind"]], "url": url,
                        "path": path, "params": params, "text": bool(params.get("q")),
                        **{key: spec[key] for key in ("repeats", "cold_starts") if key in spec}})
    return queries
