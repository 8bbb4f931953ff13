"""Profile where Newsdesk spends its time, on a data dir that bench/run.py built.

    .venv/bin/python bench/hotspots.py bench/var/10k --app-ref HEAD            # the query mix
    .venv/bin/python bench/hotspots.py bench/var/10k --app-ref HEAD --ingest 300

Queries: each page of bench/queries.json once to warm up, then once under cProfile through
Django's test client (no HTTP). --ingest K: copies the data dir to bench/var/profile/ and
profiles `manage.py ingest` of K new articles (seed 99) there; the measured dir is untouched
(HOTSPOTS_DUMP=FILE also saves that profile, for pstats).
Prints the functions with the most cumulative and own time, and a short list of known hot
spots with their share of the wall time.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
from app import VAR, App, app_env, prepare_app  # noqa: E402
from mix import load_queries, resolve_placeholders  # noqa: E402

# (label, substring of "file:line(function)") to report as a share of the wall time.
MARKERS = [
    ("extract_actors", "articles/extraction/actors.py", "extract_actors"),
    ("assign_topics", "articles/extraction/topics.py", "assign_topics"),
    ("actor_resolve (ORM lookups/creates)", "articles/resolve.py", "actor_resolve"),
    ("actors_resolve (all of an article's actors)", "articles/resolve.py", "actors_resolve"),
    ("store one article (create, extract, m2m)", "articles/services.py", "_article_store"),
    ("article_extract", "articles/services.py", "article_extract"),
    ("index_drain", "articles/search/indexing.py", "index_drain"),
    ("whoosh_replace (one writer per drain batch)", "articles/search/engines/whoosh/writing.py", "whoosh_replace"),
    ("haystack full_prepare (index templates, m2m)", "haystack/indexes.py", "full_prepare"),
    ("whoosh update_document (delete old + add)", "site-packages/whoosh/writing.py", "update_document"),
    ("whoosh writer commit", "site-packages/whoosh/writing.py", "commit"),
    ("whoosh add_document", "site-packages/whoosh/writing.py", "add_document"),
    ("whoosh searcher/reader open", "site-packages/whoosh/index.py", "searcher"),
    ("column_search (columns: filters, counts, facets)", "articles/search/engines/whoosh/column_search.py", "column_search"),
    ("match_query (postings arrays, Whoosh's scores)", "articles/search/engines/whoosh/matching.py", "match_query"),
    ("whoosh Searcher.search (queries matching.py leaves to Whoosh)", "site-packages/whoosh/searching.py", "search"),
    ("segment columns read from postings", "articles/search/engines/whoosh/columns.py", "_read_segment"),
    ("snippets", "articles/search/highlight.py", "snippet"),
    ("did you mean (rapidfuzz)", "articles/search/engines/whoosh/spelling.py", "closest"),
    ("database_facets (filter-only pages from the database)", "articles/search/database.py", "database_facets"),
    ("Django render", "django/shortcuts.py", "render"),
    ("SQL execute", "django/db/backends/sqlite3/base.py", "execute"),
]


def report(profile: cProfile.Profile, wall: float, title: str, top: int) -> None:
    stats = pstats.Stats(profile)
    print(f"\n### {title}: {wall * 1000:,.0f} ms wall\n")
    for label, path, function in MARKERS:
        # max, not sum: same-named functions in one module often call each other (nested wrappers)
        total = max((value[3] for (filename, _, name), value in stats.stats.items()
                     if path in filename and name == function), default=0)
        if total > 0.001 * wall:
            print(f"- {label}: {total * 1000:,.0f} ms cumulative ({total / wall:.0%})")
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
        body = out.getvalue()
        print(f"\nTop {top} by {sort}:\n```\n{body[body.find('ncalls'):].rstrip()}\n```")


def setup_django(app: App, data_dir: Path) -> None:
    os.environ.update(app_env(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.chdir(app.dir)
    sys.path.insert(0, str(app.dir))
    import django
    django.setup()


def profile_queries(data_dir: Path, top: int) -> None:
    from django.test import Client

    queries = load_queries(resolve_placeholders(data_dir / "newsdesk.sqlite3"))
    client = Client(HTTP_HOST="127.0.0.1")
    for query in queries:
        client.get(query["url"])  # warm: compiled templates, open searcher caches, DB connection
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        response = client.get(query["url"])
        profile.disable()
        report(profile, time.perf_counter() - started, f"{query['name']} `{query['url']}` ({response.status_code})", top)


def profile_ingest(data_dir: Path, count: int, top: int) -> None:
    from django.core.management import call_command

    articles = VAR / "profile-articles"
    shutil.rmtree(articles, ignore_errors=True)
    generate.generate(count, articles, seed=99)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    call_command("ingest", str(articles), stdout=io.StringIO())
    profile.disable()
    if os.environ.get("HOTSPOTS_DUMP"):
        profile.dump_stats(os.environ["HOTSPOTS_DUMP"])
    report(profile, time.perf_counter() - started, f"ingest of {count} new articles", top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path, help="a size's directory from bench/run.py, e.g. bench/var/10k")
    parser.add_argument("--app-ref")
    parser.add_argument("--ingest", type=int, metavar="K", help="profile ingesting K new articles (on a copy)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    app = prepare_app(args.app_ref)
    data_dir = (args.workdir / "data").resolve()
    if args.ingest:
        scratch = VAR / "profile"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(data_dir, scratch / "data")
        data_dir = scratch / "data"
    setup_django(app, data_dir)
    print(f"# Profile of {app.description} on {data_dir}")
    if args.ingest:
        profile_ingest(data_dir, args.ingest, args.top)
    else:
        profile_queries(data_dir, args.top)


if __name__ == "__main__":
    main()
