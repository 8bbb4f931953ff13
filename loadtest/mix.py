"""Resolve the load test's URL mix and the editor's working set from the database; print JSON.

    NEWSDESK_DATA_DIR=loadtest/var/10000/run .venv/bin/python manage.py shell -c "from loadtest.mix import main; main()"

Run inside Django (run.py does it), so every slug and id in the mix exists. Articles whose
pages are requested are kept apart from the ones the editor may edit or delete, so a
request never meets an article that the editor removed on purpose.
-> {"kinds": {"search-common": {"weight": 10, "urls": ["/search/?q=government", ...]}, ...},
    "editor": {"archive_ids": [...], "actors": [{"id": 3, "slug": "russia"}, ...]}, "archive": {...}}
"""

import json
import random
import sys
import urllib.parse

from django.db.models import Count, Max, Min

from articles.models import Actor, Article, Topic

SEED = 7
ARTICLE_PAGES = 300  # distinct article pages in the mix
EDITOR_POOL = 3000  # archive articles the editor may edit or delete
COMMON_WORDS = ["government", "officials", "minister"]
RARE_WORDS = ["desalination", "phosphate", "hydrofoil", "cartography", "saffron", "tungsten", "glacier", "cobalt"]


def search(**params) -> str:
    """search(q="peace talks", actor=["a", "b"]) -> "/search/?q=peace+talks&actor=a&actor=b"."""
    return "/search/?" + urllib.parse.urlencode(params, doseq=True)


def body_count(word: str) -> int:
    return Article.objects.filter(body__icontains=f" {word}").count()


def build(seed: int = SEED) -> dict:
    rng = random.Random(seed)
    ids = sorted(Article.objects.values_list("id", flat=True))
    if len(ids) < 50:
        raise SystemExit(f"only {len(ids)} articles in the database; the mix needs a real archive")
    span = Article.objects.aggregate(first=Min("date"), last=Max("date"))
    by_count = list(Actor.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "slug").values("id", "slug", "kind", "n"))
    people = [a for a in by_count if a["kind"] == "person"]
    countries = [a for a in by_count if a["kind"] == "country"] or by_count
    topics = list(Topic.objects.annotate(n=Count("articles")).filter(n__gt=0).order_by("-n", "slug").values_list("slug", flat=True))
    # Rare words with a small result set (the CSV export and the OR query use them).
    rare = [w for w in RARE_WORDS if 0 < body_count(w) <= 50] or RARE_WORDS[:2]
    top_person, mid_person = people[0]["slug"], people[min(len(people) - 1, 40)]["slug"]
    country, topic = countries[0]["slug"], topics[0]
    first_year, last_year = span["first"].year, span["last"].year
    mid = (first_year + last_year) // 2

    page_ids = rng.sample(ids, min(ARTICLE_PAGES, len(ids) // 3))
    rest = sorted(set(ids) - set(page_ids))
    editor_ids = rng.sample(rest, min(EDITOR_POOL, len(rest)))
    articles = Article.objects.in_bulk(page_ids)
    actor_pages = [a["slug"] for a in by_count[:20]] + [a["slug"] for a in rng.sample(by_count[20:], min(40, len(by_count) - 20))]

    kinds = {
        "search common word": (10, [search(q=w) for w in COMMON_WORDS] + [search(q="government", page=3), search(q="officials", sort="oldest")]),
        "search rare word": (6, [search(q=w) for w in rare]),
        "search phrase": (6, [search(q='"peace talks"'), search(q='"joint statement"'), search(q='"interest rates"')]),
        "search OR": (5, [search(q=f"{rare[0]} OR {rare[-1]}"), search(q="pipeline OR tariffs"), search(q='sanctions "price cap" OR embargo')]),
        "search + filters": (10, [
            search(q="sanctions", actor=top_person, **{"from": f"{first_year + 2}-01-01", "to": f"{last_year - 3}-12-31"}),
            search(q="talks", topic="diplomacy"),
            search(q="oil", actor=country, topic="energy"),
            search(q="election", **{"from": f"{mid}-01-01", "to": f"{mid}-12-31"}),
            search(q="minister", actor=[country, mid_person]),
        ]),
        "filters only": (8, [
            search(actor=country, topic="diplomacy", **{"from": f"{first_year + 1}-01-01", "to": f"{first_year + 4}-12-31"}),
            search(topic=topic),
            search(**{"from": f"{mid}-01-01", "to": f"{mid}-03-31"}),
            search(actor=mid_person, sort="oldest"),
            search(),
        ]),
        "json": (8, [search(q="minister", format="json"), search(topic="sanctions", format="json"),
                     search(q=rare[0], actor=country, format="json")]),
        "article page": (20, [articles[i].get_absolute_url() for i in page_ids]),
        "actor page": (10, [f"/actors/{slug}/" for slug in actor_pages]),
        "topic page": (6, [f"/topics/{slug}/" for slug in topics]),
        "csv export (small)": (3, [search(q=w, format="csv") for w in rare[:3]]),
    }
    return {
        "kinds": {name: {"weight": weight, "urls": urls} for name, (weight, urls) in kinds.items()},
        "editor": {
            "archive_ids": editor_ids,
            "actors": [{"id": a["id"], "slug": a["slug"]} for a in by_count],  # most articles first
        },
        "archive": {
            "articles": len(ids),
            "actors": len(by_count),
            "topics": len(topics),
            "first_date": span["first"].isoformat(),
            "last_date": span["last"].isoformat(),
        },
    }


def main() -> None:
    json.dump(build(), sys.stdout)
