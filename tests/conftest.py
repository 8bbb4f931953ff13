"""Shared fixtures: every test run writes to its own temporary search index."""

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections


@pytest.fixture(scope="session", autouse=True)
def _private_index_dir(tmp_path_factory):
    """Point the search index (on Solr: only the index write lock) at a temporary directory for the whole run.

    On Solr the tests share the cluster scripts/with-solr started: `search_index` empties it
    before and after each test that writes (index_clear deletes every document and commits).
    """
    index_dir = tmp_path_factory.mktemp("index")
    settings.INDEX_DIR = index_dir
    if settings.SEARCH_ENGINE == "whoosh":
        # haystack keeps a reference to this dict, so change it in place and drop the cached backend.
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = str(index_dir)
        connections.reload("default")
    yield index_dir


@pytest.fixture(autouse=True)
def _fresh_coverage():
    """Each test looks at the index afresh (pages trust a look at the index's coverage for a few seconds)."""
    from articles.search.coverage import forget_coverage

    forget_coverage()
    yield
    forget_coverage()


@pytest.fixture(scope="session", autouse=True)
def _static_files_without_manifest():
    """Serve static files without collectstatic's manifest, which tests do not build."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def empty_index():
    """An empty index before and after the test (see tests/engines.py: index_emptied)."""
    from .engines import index_emptied

    with index_emptied():
        yield


@pytest.fixture
def search_down(settings):
    """The search engine cannot answer for the rest of the test (see tests/engines.py: search_engine_down)."""
    from .engines import search_engine_down

    with search_engine_down(settings):
        yield


@pytest.fixture
def search_index(transactional_db, empty_index):
    """An empty index and a database whose commits really happen (index writes run on commit)."""
    yield


@pytest.fixture
def make_article(transactional_db):
    """Create an article (with given actors and topics) straight in the database; it is indexed on commit."""
    import datetime

    from django.db import transaction

    from articles.ingest import derive_headline, fingerprint_text
    from articles.models import Actor, Article, Topic

    def make(body, date="2024-04-03", actors=(), topics=(), headline="", source="test.txt"):
        with transaction.atomic():
            article = Article.objects.create(
                headline=headline or derive_headline(body),
                date=datetime.date.fromisoformat(date),
                body=body,
                source=source,
                fingerprint=fingerprint_text(body),
            )
            article.actors.set(
                Actor.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
                for name, kind, slug in actors
            )
            article.topics.set(
                Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in topics
            )
        return article

    return make


@pytest.fixture
def default_topics(transactional_db):
    """The starting topic vocabulary (transactional tests flush what the migration stored)."""
    from articles.extraction import DEFAULT_TOPICS
    from articles.models import Topic

    for topic in DEFAULT_TOPICS:
        Topic.objects.update_or_create(
            slug=topic["slug"],
            defaults={"name": topic["name"], "description": topic["description"], "keywords": "\n".join(topic["keywords"])},
        )


PUTIN = ("Vladimir Putin", "person", "vladimir-putin")
XI = ("Xi Jinping", "person", "xi-jinping")
NATO = ("NATO", "organisation", "nato")
RUSSIA = ("Russia", "country", "russia")
CHINA = ("China", "country", "china")
ENERGY = ("Energy", "energy")
DIPLOMACY = ("Diplomacy", "diplomacy")


@pytest.fixture
def small_archive(search_index, make_article):
    """Four articles over two years with overlapping actors and topics."""
    return {
        "gas": make_article(
            "Gazprom and Beijing agreed on gas deliveries through the Power of Siberia pipeline.\n\n"
            "Vladimir Putin welcomed the deal at the Bürgenstock meeting, officials said.",
            date="2024-05-16", actors=[PUTIN, RUSSIA, CHINA], topics=[ENERGY, DIPLOMACY],
        ),
        "summit": make_article(
            "Xi Jinping and Vladimir Putin met in Beijing to discuss trade.\n\nTalks\n\nOfficials praised the partnership.",
            date="2024-03-01", actors=[PUTIN, XI, RUSSIA, CHINA], topics=[DIPLOMACY],
        ),
        "nato": make_article(
            "NATO officials discussed air defence for Ukraine in Brussels.",
            date="2023-11-20", actors=[NATO], topics=[],
        ),
        "html": make_article(
            "Officials found <script>alert('x')</script> in a leaked gas contract file.",
            date="2023-02-10", actors=[RUSSIA], topics=[ENERGY],
        ),
    }


@pytest.fixture
def many_actors(db):
    """Facet counts of many actors: people crowd the top, organisations are all rare (and tie), one country."""
    from articles.models import Actor

    counts = {}
    for n in range(40):
        Actor.objects.create(name=f"Person {n:02d}", slug=f"person-{n:02d}", kind="person")
        counts[f"person-{n:02d}"] = 100 + n
    for n in range(15):
        Actor.objects.create(name=f"Org {n:02d}", slug=f"org-{n:02d}", kind="organisation")
        counts[f"org-{n:02d}"] = 1 + n % 3
    Actor.objects.create(name="Ruritania", slug="ruritania", kind="country")
    counts["ruritania"] = 50
    return counts
