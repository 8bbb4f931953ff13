"""What the search pages show for a list of views, as data: compared between Whoosh and SolrCloud.

For each view, every page of /search/?format=json: the count, the facet counts, and each row's
source file and snippet (in order for date sorts; as a set for relevance, where each engine's
BM25 may order near-equal scores its own way). As a command it builds a Whoosh archive of
the devset in a fresh data directory and prints the figures as JSON:

    NEWSDESK_DATA_DIR=$(mktemp -d) .venv/bin/python -m tests.solr.same_as_whoosh
"""

import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEVSET = sorted(str(path) for path in (ROOT / "tests" / "devset").glob("*.txt"))
VIEWS = [
    {"q": "president"},
    {"q": "minister", "sort": "newest"},
    {"q": "minister", "sort": "oldest", "page": "2"},
    {"q": '"prime minister"'},
    {"q": '"secretary of state"'},  # a stop word inside the phrase
    {"q": "secur*"},
    {"q": "election OR vote"},
    {"q": "government -president"},
    {"q": "headline:china"},
    {"q": "Inacio"},  # folded: the text says "Inácio"
    {"q": "Inácio Lula"},
    {"q": "talks", "from": "2024-01-01", "to": "2024-06-30"},
    {"q": "leaders", "actor": "china"},
    {"q": "council", "sort": "newest", "as_of": "2030-01-01"},
    {"q": "the of"},  # only stop words
    {"q": "the -china"},  # only an exclusion left
    {"actor": "china"},
    {"topic": "diplomacy", "sort": "oldest"},
]


def view_figures(client) -> dict[str, dict]:
    """{view: {"count", "facets", "rows"}} from every page of each view's JSON."""
    figures = {}
    for view in VIEWS:
        rows, page, answer = [], int(view.get("page", 1)), None
        while True:
            answer = client.get("/search/", {**view, "page": str(page), "format": "json"}).json()
            rows += [[row["source"], row["snippet"]] for row in answer["results"]]
            if page >= answer["num_pages"] or "page" in view:
                break
            page += 1
        relevance = "q" in view and "sort" not in view
        figures[json.dumps(view, sort_keys=True)] = {
            "count": answer["count"], "facets": answer["facets"], "rows": sorted(rows) if relevance else rows,
        }
    return figures


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    call_command("migrate", verbosity=0)
    call_command("ingest", *DEVSET, stdout=open(os.devnull, "w"))
    json.dump(view_figures(Client()), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
