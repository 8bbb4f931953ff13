"""Renamed and unknown actors and topics: an old bookmark still leads to the label, an unknown one never widens a view."""

import json
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User

from articles.conflicts import record_version
from articles.forms import SearchFilters
from articles.models import Actor, ActorRedirect, Article, Topic, TopicRedirect
from articles.search.selectors import article_search, first_matching_ids, match_count, matching_article_ids
from savedviews.models import SavedView

from .pages import parse, query_of, result_rows, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def chief(client, transactional_db):
    user = User.objects.create_user("chief", password="x-unused-x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def actor_form(actor: Actor, **changes) -> dict:
    data = {
        "name": actor.name, "kind": actor.kind, "slug": actor.slug, "aliases": actor.aliases,
        "description": actor.description, "affiliation": "",
        "redirects-TOTAL_FORMS": "0", "redirects-INITIAL_FORMS": "0",
        "redirects-MIN_NUM_FORMS": "0", "redirects-MAX_NUM_FORMS": "1000",
        "edited_version": str(record_version(Actor, actor.pk)),  # as the form opened now carries it
    }
    return {**data, **changes}


def rename_in_admin(client, actor: Actor, slug: str, name: str | None = None):
    return client.post(f"/admin/articles/actor/{actor.pk}/change/", actor_form(actor, slug=slug, name=name or actor.name))


def search_json(client, **params) -> dict:
    return json.loads(client.get("/search/", {**params, "format": "json"}).content)


def notices(page) -> list[str]:
    return [text_of(item) for item in page.select(".notice li")]


def test_renamed_actor_keeps_its_old_address_and_bookmarked_filters(chief, small_archive):
    russia = Actor.objects.get(slug="russia")
    response = rename_in_admin(chief, russia, "russian-federation", "Russian Federation")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ActorRedirect.objects.get(old_slug="russia").actor == russia

    old_page = chief.get("/actors/russia/")
    assert old_page.status_code == 301 and old_page["Location"] == "/actors/russian-federation/"
    data = search_json(chief, actor="russia")
    assert data["count"] == 3  # Russia's three articles, not the whole archive of four
    page = parse(chief.get("/search/", {"actor": "russia"}))
    assert len(result_rows(page)) == 3 and notices(page) == []
    assert [text_of(chip) for chip in page.select(".chips a.chip")] == ["Remove filter Country: Russian Federation ×"]


def test_renaming_twice_and_back_keeps_every_old_address_working(chief, small_archive):
    topic = Topic.objects.get(slug="energy")
    for slug in ("energy-policy", "energy-and-power", "energy"):
        topic.refresh_from_db()
        topic.slug = slug
        topic.save()
    assert set(TopicRedirect.objects.values_list("old_slug", flat=True)) == {"energy-policy", "energy-and-power"}
    assert chief.get("/topics/energy/").status_code == 200
    for old in ("energy-policy", "energy-and-power"):
        assert chief.get(f"/topics/{old}/")["Location"] == "/topics/energy/"
        assert search_json(chief, topic=old)["count"] == 2


def test_admin_refuses_a_slug_that_is_another_actors_old_address(chief, small_archive):
    russia = Actor.objects.get(slug="russia")
    rename_in_admin(chief, russia, "russian-federation")
    china = Actor.objects.get(slug="china")
    response = rename_in_admin(chief, china, "russia")
    assert response.status_code == 200
    errors = parse(response).select(".field-slug .errorlist li")
    assert [text_of(error) for error in errors] == [
        "“russia” is the old address of Russia: bookmarks of it lead there. Choose another slug."
    ]
    assert Actor.objects.get(pk=china.pk).slug == "china"


@pytest.mark.parametrize("params", [
    {"actor": "no-such-actor"},
    {"topic": "no-such-topic"},
    {"q": "gas", "actor": "no-such-actor"},
    {"actor": ["vladimir-putin", "no-such-actor"]},
    {"actor_any": "no-such-actor"},
    {"actor": "Not A Slug!"},
])
def test_an_unknown_actor_or_topic_gives_no_results_with_a_notice(client, small_archive, params):
    page = parse(client.get("/search/", params))
    assert result_rows(page) == []
    assert text_of(page.select_one(".results__summary")).startswith("No articles found")
    assert any("no article can match it" in notice for notice in notices(page)), notices(page)
    assert search_json(client, **params)["count"] == 0


def test_the_empty_view_keeps_the_unknown_filter_in_its_links(client, small_archive):
    page = parse(client.get("/search/", {"q": "gas", "actor": "no-such-actor"}))
    canonical = page.select_one('link[rel="canonical"]')["href"]
    assert ("actor", "no-such-actor") in query_of(canonical)
    search_box = page.select_one("form.search-form")
    assert ("actor", "no-such-actor") in [(i["name"], i["value"]) for i in search_box.select("input[type=hidden]")]
    chips = {text_of(chip): chip["href"] for chip in page.select(".chips a.chip")}
    assert chips == {"Remove filter Unknown actor: no-such-actor ×": "/search/?q=gas"}


@pytest.mark.parametrize("params", [{"actor_not": "no-such-actor"}, {"actor_any": ["nato", "no-such-actor"]}])
def test_an_unknown_label_that_cannot_narrow_leaves_the_view_exact(client, small_archive, params):
    expected = 4 if "actor_not" in params else 1
    page = parse(client.get("/search/", params))
    assert len(result_rows(page)) == expected
    assert len(notices(page)) == 1


@pytest.mark.parametrize("unknown", [("actor", "no-such-actor"), ("topic", "no-such-topic"), ("actor_any", "nobody")])
def test_every_reader_of_a_view_finds_nothing_for_a_required_unknown_label(small_archive, unknown):
    """Exports, feeds and saved-view counts ask these selectors; none may read the unknown label as "no filter"."""
    filters = SearchFilters(unknown=(unknown,))
    assert first_matching_ids(filters, 100).count == 0
    assert list(matching_article_ids(filters)) == []
    assert match_count(filters) == 0
    assert article_search(filters).count == 0
    widened = SearchFilters(unknown=(("actor_not", "nobody"),))  # excluding nobody leaves the whole view
    assert first_matching_ids(widened, 100).count == Article.objects.count()


def test_a_saved_view_of_a_deleted_actor_counts_nothing(client, small_archive):
    alice = User.objects.create_user("alice", password="x-unused-x")
    client.force_login(alice)
    nato = Actor.objects.get(slug="nato")
    saved = SavedView.objects.create(owner=alice, name="NATO", params="actor=nato", last_opened=nato.articles.get().created)
    nato.delete()
    page = parse(client.get("/saved/"))
    assert text_of(page.select_one(f"#saved-view-{saved.pk} .saved-view__total")) == "0 matches"
    assert "unknown “nato”" in text_of(page.select_one(f"#saved-view-{saved.pk} .saved-view__description"))
    assert client.get(f"/search/?{saved.params}&format=json").json()["count"] == 0
    feed = ElementTree.fromstring(client.get(saved.feed_url()).content)
    assert feed.findall(f"{ATOM}entry") == []  # its feed: no entries, not the whole archive's newest
