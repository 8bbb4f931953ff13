"""Saved views: save a search and reopen it, what is new since the last look, private feeds, sharing, and nobody else's views."""

import csv
import datetime
import gzip
import io
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from articles.search.engines.base import SearchUnavailable as IndexUnavailable
from articles.search.engines import engine
from articles.forms import SearchFilters
from articles.models import Actor, Article
from articles.search.selectors import article_search
from savedviews import services
from savedviews.models import SavedView
from savedviews.selectors import match_counts

from .conftest import ENERGY, NATO, PUTIN, RUSSIA
from .pages import parse, text_of

PASSWORD = "a-long-test-password-42"
DEVSET = Path(__file__).parent / "devset"


@pytest.fixture
def alice(transactional_db):
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(transactional_db):
    return User.objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def save_view(client, query: str, **fields) -> SavedView:
    """Save a search the way a researcher does: open its save form, keep what it shows, change `fields`, submit."""
    form = client.get(f"/saved/new/?{query}")
    assert form.status_code == 200
    bound = form.context["form"]
    data = {"params": bound["params"].value(), "name": bound["name"].value(), "note": "", **fields}
    response = client.post("/saved/new/", data)
    assert response.status_code == 302 and response["Location"] == "/saved/", response.content.decode()[:2000]
    return SavedView.objects.latest("id")


def rows_by_name(client) -> dict:
    response = client.get("/saved/")
    assert response.status_code == 200
    return {row.view.name: row for row in response.context["rows"]}


def headlines(response) -> list[str]:
    return re.findall(r'class="result__headline"><a [^>]*>([^<]+)</a>', response.content.decode())


def private_mode():
    middleware = [*settings.MIDDLEWARE]
    middleware.insert(
        middleware.index("django.contrib.messages.middleware.MessageMiddleware"),
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    )
    return override_settings(MIDDLEWARE=middleware)


# Saving and reopening


def test_search_page_offers_to_save_the_view_without_page_or_format(client, small_archive):
    response = client.get("/search/", {"q": "officials", "actor": "russia", "page": "1"})
    assert '<a href="/saved/new/?q=officials&amp;actor=russia">Save this view</a>' in response.content.decode()


@pytest.mark.parametrize("query", [
    "q=officials&actor=russia",
    "actor=russia&topic=energy&sort=oldest",
    "q=gas&from=2023-01-01&to=2024-12-31",
    "",
])
def test_saved_view_reopens_to_the_same_results(alice_client, small_archive, query):
    searched = alice_client.get(f"/search/?{query}")
    saved = save_view(alice_client, query)
    response = alice_client.post(f"/saved/{saved.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/search/?{query}".rstrip("?")
    reopened = alice_client.get(response["Location"])
    assert headlines(reopened) and headlines(reopened) == headlines(searched)
    assert reopened.context["result"].count == searched.context["result"].count


def test_saving_stores_the_canonical_parameters(alice_client, small_archive):
    saved = save_view(alice_client, "actor=vladimir-putin&q=%20gas%20&page=2&format=csv&bogus=1&actor=russia&sort=newest")
    # Canonical order, labels sorted, defaults, page, format and unknown parameters left out.
    assert saved.params == "q=gas&actor=russia&actor=vladimir-putin&sort=newest"
    assert saved.search_url() == "/search/?q=gas&actor=russia&actor=vladimir-putin&sort=newest"


def test_save_form_prefills_the_name_from_the_filters_and_keeps_a_note(alice_client, small_archive):
    form = alice_client.get("/saved/new/", {"q": "gas", "actor": "vladimir-putin", "from": "2024-01-01", "to": "2024-06-30"})
    assert form.context["form"]["name"].value() == "“gas”, actor: Vladimir Putin, 2024-01-01 to 2024-06-30"
    saved = save_view(alice_client, "q=gas&actor=vladimir-putin", note="Pipeline deals for chapter 3")
    row = rows_by_name(alice_client)["“gas”, actor: Vladimir Putin"]
    assert (row.description, row.count, row.new) == ("“gas”, actor: Vladimir Putin", 1, 0)
    assert saved.note == "Pipeline deals for chapter 3"
    assert "Pipeline deals for chapter 3" in alice_client.get("/saved/").content.decode()


def test_a_long_search_gets_a_shortened_name_that_fits(alice_client, small_archive):
    words = [f"pipelineconstruction{n:02d}" for n in range(35)]  # 804 characters: cut to 300, then to 12 terms
    name = alice_client.get("/saved/new/", {"q": " ".join(words)}).context["form"]["name"].value()
    assert len(name) <= 200 and name.endswith(" pipelineconstruction07…")
    assert save_view(alice_client, urlencode({"q": " ".join(words)})).params == urlencode({"q": " ".join(words[:12])})


def test_a_name_is_required(alice_client, small_archive):
    response = alice_client.post("/saved/new/", {"params": "q=gas", "name": "", "note": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not SavedView.objects.exists()


def test_saved_views_are_listed_newest_first_with_export_links(alice_client, small_archive):
    save_view(alice_client, "actor=russia", name="Russia")
    save_view(alice_client, "q=gas", name="Gas")
    response = alice_client.get("/saved/")
    assert [row.view.name for row in response.context["rows"]] == ["Gas", "Russia"]
    html = response.content.decode()
    assert 'href="/search/?q=gas&amp;format=csv"' in html and 'href="/search/?actor=russia&amp;format=csv"' in html
    rows = list(csv.DictReader(io.StringIO(alice_client.get("/search/?q=gas&format=csv").content.decode())))
    assert sorted(row["headline"] for row in rows) == sorted(small_archive[key].headline for key in ("gas", "html"))


def test_rename_renote_and_delete_with_confirmation(alice_client, small_archive):
    saved = save_view(alice_client, "actor=russia", name="Russia")
    response = alice_client.post(f"/saved/{saved.pk}/edit/", {"name": "Moscow watch", "note": "weekly"})
    assert response.status_code == 302
    assert list(rows_by_name(alice_client)) == ["Moscow watch"]
    saved.refresh_from_db()
    assert (saved.name, saved.note, saved.params) == ("Moscow watch", "weekly", "actor=russia")

    confirm = alice_client.get(f"/saved/{saved.pk}/delete/")
    assert confirm.status_code == 200 and "Delete “Moscow watch”?" in confirm.content.decode()
    assert SavedView.objects.filter(pk=saved.pk).exists()  # asking changes nothing
    assert alice_client.post(f"/saved/{saved.pk}/delete/").status_code == 302
    assert not SavedView.objects.filter(pk=saved.pk).exists()
    assert alice_client.get(f"/saved/{saved.pk}/edit/").status_code == 404


# What is new since the last look


@pytest.mark.parametrize("query, name, count", [("actor=russia", "from the database", 3), ("q=gas", "from the index", 2)])
def test_new_matches_are_counted_until_the_view_is_opened(alice_client, small_archive, make_article, query, name, count):
    saved = save_view(alice_client, query, name=name)
    before = rows_by_name(alice_client)[name]
    assert (before.count, before.new) == (count, 0)

    make_article("Russia signed a new gas supply contract with Serbia.", date="2022-01-05", actors=[RUSSIA], topics=[ENERGY])
    make_article("Gas prices in Russia rose again, traders said.", date="2024-08-01", actors=[RUSSIA, PUTIN])
    make_article("NATO ministers met in Brussels about air defence.", actors=[NATO])  # matches neither view
    after = rows_by_name(alice_client)[name]
    assert (after.count, after.new) == (count + 2, 2)
    assert '<strong class="saved-view__new">2 new</strong>' in alice_client.get("/saved/").content.decode()

    alice_client.post(f"/saved/{saved.pk}/open/")
    opened = rows_by_name(alice_client)[name]
    assert (opened.count, opened.new) == (count + 2, 0)
    make_article("Russia and gas, once more, on the record.", date="2020-01-01", actors=[RUSSIA])
    assert rows_by_name(alice_client)[name].new == 1


def test_a_view_frozen_with_as_of_never_has_new_matches(alice_client, small_archive, make_article):
    save_view(alice_client, "actor=russia&as_of=2099-12-31", name="frozen")
    make_article("Russia news that arrives later.", actors=[RUSSIA])
    row = rows_by_name(alice_client)["frozen"]
    assert (row.count, row.new) == (4, 0)  # as_of decides what it shows; it never reports anything as new


@pytest.mark.parametrize("filters", [{"actors": "russia"}, {"q": "gas"}], ids=["database", "index"])
@pytest.mark.parametrize("offset", [
    datetime.timedelta(seconds=-1),
    datetime.timedelta(milliseconds=-1),
    datetime.timedelta(microseconds=-1),
    datetime.timedelta(0),
    datetime.timedelta(microseconds=1),
    datetime.timedelta(seconds=1),
])
def test_new_is_exact_to_the_microsecond(small_archive, make_article, filters, offset):
    # The index compares datetimes to the whole second; the count must not. The archive's
    # other articles were created moments before, usually within the same second.
    article = make_article("Russia sold more gas to Hungary.", actors=[RUSSIA])
    matching = [small_archive[key] for key in (("gas", "summit", "html") if "actors" in filters else ("gas", "html"))]
    matching.append(article)
    if "actors" in filters:
        filters = {"actors": (Actor.objects.get(slug="russia"),)}
    since = Article.objects.get(pk=article.pk).created + offset
    expected_new = Article.objects.filter(pk__in=[match.pk for match in matching], created__gt=since).count()
    assert match_counts(SearchFilters(**filters), since=since) == (len(matching), expected_new)
    assert expected_new >= (1 if offset < datetime.timedelta(0) else 0)


def test_counts_are_exact_when_the_index_has_several_segments(search_index, make_article):
    # A batch ingest, then one more article in a segment of its own: the shape of a live index.
    call_command("ingest", *sorted(str(path) for path in DEVSET.glob("*.txt")), stdout=io.StringIO())
    make_article("Fishing rights in the central Mediterranean were agreed in Valletta.")
    filters = SearchFilters(q="president", actors=(Actor.objects.get(slug="russia"),))
    expected = article_search(filters).count  # one page of results holds them all: counted exactly
    assert 3 < expected <= settings.SEARCH_RESULTS_PER_PAGE
    assert match_counts(filters, since=timezone.now()) == (expected, 0)


def test_counts_wait_while_the_index_is_unavailable(alice_client, small_archive, monkeypatch):
    save_view(alice_client, "q=gas", name="text")
    save_view(alice_client, "actor=russia", name="filters")

    def unavailable(self, request):
        raise IndexUnavailable("gone")

    monkeypatch.setattr(type(engine()), "search", unavailable)
    response = alice_client.get("/saved/")
    assert response.status_code == 200
    rows = {row.view.name: row for row in response.context["rows"]}
    assert (rows["text"].count, rows["filters"].count) == (None, 3)
    assert "unavailable while the search index is rebuilt" in response.content.decode()


# A long list stays quick: counts kept until the archive changes, pages of 50


def test_counts_are_kept_until_the_archive_changes(alice_client, small_archive, make_article, monkeypatch):
    save_view(alice_client, "q=gas", name="text")
    save_view(alice_client, "actor=russia", name="filters")
    assert {name: row.count for name, row in rows_by_name(alice_client).items()} == {"text": 2, "filters": 3}
    counted = []
    count = services.match_counts
    monkeypatch.setattr(services, "match_counts", lambda filters, since: counted.append(filters) or count(filters, since=since))

    assert {name: row.count for name, row in rows_by_name(alice_client).items()} == {"text": 2, "filters": 3}
    assert counted == []  # nothing changed since: no search at all
    make_article("Officials in Moscow spoke of gas again.", date="2024-07-01", actors=[RUSSIA])
    assert {name: (row.count, row.new) for name, row in rows_by_name(alice_client).items()} == {"text": (3, 1), "filters": (4, 1)}
    assert len(counted) == 2


def test_views_not_counted_in_time_are_counted_on_a_later_visit(alice_client, small_archive, monkeypatch):
    for query, name in (("q=gas", "one"), ("actor=russia", "two"), ("topic=energy", "three")):
        save_view(alice_client, query, name=name)
    monkeypatch.setattr(services, "COUNT_SECONDS", 0)
    monkeypatch.setattr(services, "COUNT_AT_LEAST", 1)
    seen = []
    for _ in range(3):
        page = parse(alice_client.get("/saved/"))
        seen.append([text_of(counts) for counts in page.select(".saved-view__counts")])
        notice = text_of(page.select_one("p.notice"))
        assert notice == "" or notice.startswith(f"The archive changed since these views were last counted: "
                                                   f"{sum('Not counted yet' in line for line in seen[-1])} of them")
    assert [sum(line.startswith("Not counted yet") for line in lines) for lines in seen] == [2, 1, 0]
    assert [line.split(" ·")[0] for line in seen[-1]] == ["2 matches", "3 matches", "2 matches"]


def test_saved_views_come_fifty_to_a_page(alice_client, alice, small_archive):
    SavedView.objects.bulk_create(
        SavedView(owner=alice, name=f"view {n:02d}", params="actor=nato", last_opened=timezone.now()) for n in range(51)
    )
    first, second = parse(alice_client.get("/saved/")), parse(alice_client.get("/saved/", {"page": "2"}))
    assert len(first.select("li.saved-view")) == 50 and len(second.select("li.saved-view")) == 1
    assert first.select_one('nav.pagination a[rel="next"]')["href"] == "?page=2"
    assert text_of(second.select_one("li.saved-view h2")) == "view 00"  # the oldest saved comes last
    for page in ("3", "0", "x"):
        assert alice_client.get("/saved/", {"page": page}).status_code == 404


# Private feed


@pytest.mark.parametrize("path", ["/saved/feed/%00/", "/shared/%00/", "/shared/a%00b/", "/saved/feed/%E2%80%AE/", "/shared/../"])
def test_a_token_that_cannot_be_one_is_a_404_on_every_database(client, transactional_db, path):
    assert client.get(path).status_code == 404


def test_feed_works_without_a_session_and_regenerating_revokes_the_old_address(alice_client, small_archive):
    saved = save_view(alice_client, "actor=vladimir-putin", name="Putin watch")
    old_url = saved.feed_url()
    assert re.fullmatch(r"/saved/feed/[-_A-Za-z0-9]{43}/", old_url)
    edit = alice_client.get(f"/saved/{saved.pk}/edit/").content.decode()
    assert f'value="http://testserver{old_url}"' in edit

    reader = Client()
    feed = reader.get(old_url)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    xml = feed.content.decode()
    assert "<title>Newsdesk: Putin watch</title>" in xml
    assert re.search(rf'<link [^>]*href="http://testserver{old_url}"', xml) and 'rel="self"' in xml
    assert xml.count("<entry>") == 2 and "Xi Jinping and Vladimir Putin met" in xml

    assert alice_client.post(f"/saved/{saved.pk}/feed-token/").status_code == 302
    saved.refresh_from_db()
    assert saved.feed_url() != old_url
    assert reader.get(old_url).status_code == 404
    assert reader.get(saved.feed_url()).status_code == 200
    with private_mode():
        reader = Client()  # a client loads its middleware on its first request
        assert reader.get("/search/?actor=vladimir-putin").status_code == 302
        assert reader.get(saved.feed_url()).status_code == 200
        assert reader.get(old_url).status_code == 404


# Sharing


def test_sharing_gives_a_read_only_page_and_unsharing_makes_it_404(alice_client, small_archive):
    saved = save_view(alice_client, "q=officials&actor=russia", name="Officials on Russia", note="For the seminar")
    assert saved.share_url() is None
    alice_client.post(f"/saved/{saved.pk}/share/")
    saved.refresh_from_db()
    shared_url = saved.share_url()
    assert re.fullmatch(r"/shared/[-_A-Za-z0-9]{43}/", shared_url)

    visitor = Client()
    page = visitor.get(shared_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Officials on Russia</h1>" in html and "For the seminar" in html
    assert headlines(page) == headlines(visitor.get("/search/?q=officials&actor=russia"))
    assert "<form" not in html.split('<main id="main"')[1]  # read-only: nothing to submit
    assert saved.feed_token not in html
    assert page["X-Robots-Tag"] == "noindex"
    with private_mode():
        private_visitor = Client()  # a client loads its middleware on its first request
        assert private_visitor.get("/search/?q=officials").status_code == 302  # the rest still needs a login
        assert private_visitor.get(shared_url).status_code == 200

    alice_client.post(f"/saved/{saved.pk}/unshare/")
    assert visitor.get(shared_url).status_code == 404
    alice_client.post(f"/saved/{saved.pk}/share/")
    saved.refresh_from_db()
    assert saved.share_url() != shared_url  # sharing again never revives the old link
    assert visitor.get(shared_url).status_code == 404
    assert visitor.get(saved.share_url()).status_code == 200


def test_shared_page_shows_live_results(alice_client, small_archive, make_article):
    saved = save_view(alice_client, "actor=nato", name="NATO")
    alice_client.post(f"/saved/{saved.pk}/share/")
    saved.refresh_from_db()
    assert len(headlines(Client().get(saved.share_url()))) == 1
    make_article("NATO opened a new office in Tallinn on Tuesday.", date="2024-09-01", actors=[NATO])
    assert headlines(Client().get(saved.share_url()))[0] == "NATO opened a new office in Tallinn on Tuesday."
    assert Client().get(saved.share_url() + "?page=2").status_code == 404


# Nobody else's views

OWNED_URLS = [
    ("get", "/saved/{pk}/edit/"),
    ("post", "/saved/{pk}/edit/"),
    ("get", "/saved/{pk}/delete/"),
    ("post", "/saved/{pk}/delete/"),
    ("get", "/saved/{pk}/open/"),
    ("post", "/saved/{pk}/open/"),
    ("post", "/saved/{pk}/share/"),
    ("post", "/saved/{pk}/unshare/"),
    ("post", "/saved/{pk}/feed-token/"),
    ("get", "/saved/{pk}/feed-token/"),
]


@pytest.fixture
def alices_view(alice, small_archive):
    client = Client()
    client.force_login(alice)
    saved = save_view(client, "actor=russia", name="Alice's", note="private notes")
    client.post(f"/saved/{saved.pk}/share/")
    saved.refresh_from_db()
    return saved


def snapshot(saved: SavedView) -> tuple:
    saved = SavedView.objects.filter(pk=saved.pk).first()
    return saved and (saved.owner_id, saved.name, saved.note, saved.params, saved.last_opened, saved.feed_token, saved.share_token)


@pytest.mark.parametrize("method, url", OWNED_URLS)
def test_another_researcher_gets_404_and_changes_nothing(client, alices_view, bob, method, url):
    client.force_login(bob)
    before = snapshot(alices_view)
    response = getattr(client, method)(url.format(pk=alices_view.pk), {"name": "mine now", "note": ""})
    assert response.status_code == 404
    assert "private notes" not in response.content.decode()
    assert snapshot(alices_view) == before
    # The same answer as for an id nobody has: guessing tells nothing.
    assert getattr(client, method)(url.format(pk=alices_view.pk + 1000)).status_code == 404


def test_another_researcher_sees_only_their_own_list(client, alices_view, bob):
    client.force_login(bob)
    response = client.get("/saved/")
    assert response.context["rows"] == [] and "Alice's" not in response.content.decode()


@pytest.mark.parametrize("method, url", OWNED_URLS + [("get", "/saved/"), ("get", "/saved/new/?q=gas"), ("post", "/saved/new/")])
def test_signed_out_visitors_are_sent_to_sign_in(client, alices_view, method, url):
    before = snapshot(alices_view)
    response = getattr(client, method)(url.format(pk=alices_view.pk))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert snapshot(alices_view) == before


@pytest.mark.parametrize("url", ["/saved/{pk}/open/", "/saved/{pk}/share/", "/saved/{pk}/unshare/", "/saved/{pk}/feed-token/"])
def test_actions_that_change_something_refuse_get(alice_client, alices_view, url):
    before = snapshot(alices_view)
    assert alice_client.get(url.format(pk=alices_view.pk)).status_code == 405
    assert snapshot(alices_view) == before


# CSRF

CSRF_POSTS = [
    ("/saved/new/", {"params": "q=gas", "name": "forged", "note": ""}),
    ("/saved/{pk}/edit/", {"name": "forged", "note": ""}),
    ("/saved/{pk}/open/", {}),
    ("/saved/{pk}/share/", {}),
    ("/saved/{pk}/unshare/", {}),
    ("/saved/{pk}/feed-token/", {}),
    ("/saved/{pk}/delete/", {}),
    ("/accounts/logout/", {}),
]


@pytest.mark.parametrize("url, data", CSRF_POSTS)
def test_every_form_needs_its_csrf_token(alice, alices_view, url, data):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    before, count = snapshot(alices_view), SavedView.objects.count()
    url = url.format(pk=alices_view.pk)
    assert browser.post(url, data).status_code == 403
    assert (snapshot(alices_view), SavedView.objects.count()) == (before, count)
    assert browser.get("/saved/").wsgi_request.user.is_authenticated  # not even signed out

    # The page that holds the form gives the token; with it the same request goes through.
    page = browser.get(f"/saved/{alices_view.pk}/edit/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert browser.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302


def test_sign_in_form_needs_its_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 403
    page = browser.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/saved/"


# Accounts


def test_sign_in_page_in_the_sites_look_brings_you_back(client, alice, small_archive):
    save_link = "/saved/new/?q=gas&actor=russia"
    response = client.get(save_link)
    assert response["Location"].startswith("/accounts/login/?next=")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'class="site-header"' in html and "<h1>Sign in</h1>" in html
    assert 'name="next" value="/saved/new/?q=gas&amp;actor=russia"' in html

    wrong = client.post("/accounts/login/", {"username": "alice", "password": "wrong", "next": save_link})
    assert wrong.status_code == 200 and "Please enter a correct username and password" in wrong.content.decode()
    signed_in = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": save_link})
    assert signed_in.status_code == 302 and signed_in["Location"] == save_link
    assert "My saved views" in client.get("/").content.decode()


def test_sign_out_is_a_post(alice_client, small_archive):
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert alice_client.get("/saved/").status_code == 200
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert alice_client.get("/saved/").status_code == 302
    assert ">Sign in</a>" in alice_client.get("/").content.decode()


def test_sign_in_is_throttled(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert not client.get("/saved/").wsgi_request.user.is_authenticated


def test_admin_sign_in_still_works(client, transactional_db):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    assert client.get("/admin/").headers["Location"].startswith("/admin/login/")
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_private_mode_sends_visitors_to_the_sites_sign_in_page(client, small_archive):
    with private_mode():
        response = client.get("/search/?q=gas")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
        assert client.get(response["Location"]).status_code == 200


def test_createresearcher_makes_an_account_without_a_password(transactional_db):
    out = io.StringIO()
    call_command("createresearcher", "carol", "--email", "carol@example.org", stdout=out)
    carol = User.objects.get(username="carol")
    assert not carol.has_usable_password() and not carol.is_staff and not carol.is_superuser
    assert "changepassword carol" in out.getvalue()
    with pytest.raises(CommandError, match="already an account"):
        call_command("createresearcher", "carol", stdout=io.StringIO())


def test_password_change(alice_client, small_archive):
    response = alice_client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "another-long-password-77", "new_password2": "another-long-password-77",
    })
    assert response.status_code == 302 and response["Location"] == "/saved/"
    assert User.objects.get(username="alice").check_password("another-long-password-77")


def test_backup_keeps_saved_views(alice_client, small_archive, tmp_path):
    save_view(alice_client, "q=gas", name="Gas deals")
    call_command("backup", str(tmp_path / "b.json.gz"), stdout=io.StringIO())
    records = json.loads(gzip.open(tmp_path / "b.json.gz").read())
    saved = [record for record in records if record["model"] == "savedviews.savedview"]
    assert [(record["fields"]["name"], record["fields"]["owner"]) for record in saved] == [("Gas deals", ["alice"])]


def test_deleting_an_article_does_not_break_a_saved_view(alice_client, small_archive):
    save_view(alice_client, "actor=nato", name="NATO")
    Article.objects.filter(pk=small_archive["nato"].pk).delete()
    row = rows_by_name(alice_client)["NATO"]
    assert (row.count, row.new) == (0, 0)
