"""Every page type in Chromium at 1366 and 390 px: axe-core's WCAG 2.2 AA rules pass, nothing scrolls sideways.

Public pages, saved views, error pages and the editors' admin, as an anonymous reader, a chief
editor ("editor", the superuser) and an editor who is not a chief ("ed").
"""

import json
import re
import urllib.request
from dataclasses import dataclass

import pytest

from .accessibility import AXE, WCAG22_AA, axe_violations, horizontal_overflow
from .conftest import EDITOR, PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = {"desktop": 1366, "phone": 390}
QUERY = "president"

# Made once for the module (Django's ORM through manage.py shell): what only editors and researchers make.
SETUP = f"""
from django.contrib.auth.models import Group, User
from articles.history import history_context
from articles.models import Actor, Article, NeverActor
from articles.roles import EDITORS
from savedviews.services import saved_view_create, saved_view_share
ed = User.objects.create_user("ed", password="{PASSWORD}", is_staff=True)
ed.groups.add(Group.objects.get(name=EDITORS))
chief = User.objects.get(username="{EDITOR}")
view = saved_view_create(owner=chief, name="Presidents and Russia", note="Look again on Monday", params="q={QUERY}&actor=russia")
saved_view_share(saved_view=view, shared=True)
NeverActor.objects.create(name="Thursday")
with history_context(user=chief, reason="deleted in the admin"):
    Article.objects.order_by("id").last().delete()
print(view.pk, view.share_url())
"""


@dataclass(frozen=True)
class Archive:
    article: str  # an article's path
    article_id: int
    actor: str  # an actor's slug
    actor_id: int
    topic: str
    saved_view: int
    shared: str  # the shared view's path


@pytest.fixture(scope="module")
def archive(site) -> Archive:
    view_pk, shared = site.manage("shell", "--verbosity", "0", "-c", SETUP).split()
    with urllib.request.urlopen(site.url(f"/search/?q={QUERY}&format=json"), timeout=30) as response:
        first = json.load(response)["results"][0]
    actor_id = site.manage("shell", "--verbosity", "0", "-c", "from articles.models import Actor; print(Actor.objects.get(slug='russia').pk)")
    return Archive(first["url"], first["id"], "russia", int(actor_id), first["topics"][0]["slug"], int(view_pk), shared)


def pages(archive: Archive) -> dict[str, tuple[str, str]]:
    """{name: (who, path)} of every page type; who is "reader" (anonymous), "chief" or "editor"."""
    admin = "/admin/articles"
    return {
        "home": ("reader", "/"),
        "search": ("reader", f"/search/?q={QUERY}"),
        "filtered": ("reader", f"/search/?q={QUERY}&actor=russia&actor_not=united-states&from=2024-01-01"),
        "by day": ("reader", "/search/?from=2024-03-01&to=2024-03-31"),
        "no results": ("reader", "/search/?q=zzqqxxnothing&actor=russia"),
        "did you mean": ("reader", "/search/?q=Putni"),
        "article": ("reader", f"{archive.article}?hl={QUERY}"),
        "actor": ("reader", f"/actors/{archive.actor}/"),
        "topic": ("reader", f"/topics/{archive.topic}/"),
        "compare form": ("reader", "/compare/"),
        "compare": ("reader", f"/compare/?s=q:{QUERY}&s=actor:russia&s=actor:china&s=actor:united-states"),
        "not found": ("reader", "/no/such/page/"),
        "sign in": ("reader", "/accounts/login/"),
        "shared view": ("reader", archive.shared),
        "admin sign in": ("reader", "/admin/login/"),
        "saved views": ("chief", "/saved/"),
        "save this view": ("chief", f"/saved/new/?q={QUERY}&actor=china"),
        "edit saved view": ("chief", f"/saved/{archive.saved_view}/edit/"),
        "delete saved view": ("chief", f"/saved/{archive.saved_view}/delete/"),
        "password": ("chief", "/accounts/password/"),
        "admin": ("chief", "/admin/"),
        "articles": ("chief", f"{admin}/article/"),
        "article form": ("chief", f"{admin}/article/{archive.article_id}/change/"),
        "article history": ("chief", f"{admin}/article/{archive.article_id}/history/"),
        "delete article": ("chief", f"{admin}/article/{archive.article_id}/delete/"),
        "add article": ("chief", f"{admin}/article/add/"),
        "upload": ("chief", f"{admin}/article/upload/"),
        "recently deleted": ("chief", f"{admin}/article/deleted/"),
        "actors": ("chief", f"{admin}/actor/"),
        "actor form": ("chief", f"{admin}/actor/{archive.actor_id}/change/"),
        "topics": ("chief", f"{admin}/topic/"),
        "never-an-actor names": ("chief", f"{admin}/neveractor/"),
        "add never-an-actor": ("chief", f"{admin}/neveractor/add/"),
        "ingest batches": ("chief", f"{admin}/ingestbatch/"),
        "ingest results": ("chief", f"{admin}/ingestfileresult/"),
        "accounts": ("chief", "/admin/auth/user/"),
        "not allowed": ("editor", f"{admin}/article/{archive.article_id}/delete/"),
    }


PAGE_NAMES = list(pages(Archive("", 0, "", 0, "", 0, "")))


@pytest.fixture(scope="module")
def sessions(browser, site, archive):
    """Signed-in browser state of each account (cookies), made once (after the archive made the accounts)."""
    states = {"reader": None}
    for who, username in (("chief", EDITOR), ("editor", "ed")):
        context = browser.new_context(base_url=site.base)
        page = context.new_page()
        page.goto("/admin/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(re.compile(r"/admin/$"))
        states[who] = context.storage_state()
        context.close()
    return states


def open_as(browser, site, sessions, who: str, width: int):
    context = browser.new_context(base_url=site.base, viewport={"width": width, "height": 900},
                                  storage_state=sessions[who])
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE))
    return context


def check(page, name: str, width: int) -> None:
    """axe-core's WCAG 2.2 AA rules, and no sideways scrolling on a phone."""
    violations = axe_violations(page, WCAG22_AA)
    assert not violations, f"axe-core on {name} at {width} px:\n" + "\n".join(violations)
    if width < 500:
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at {width} px by {horizontal_overflow(page)} px"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_passes_wcag22_aa_and_fits_the_screen(browser, site, sessions, archive, name, width):
    who, path = pages(archive)[name]
    context = open_as(browser, site, sessions, who, width)
    try:
        page = context.new_page()
        response = page.goto(path)
        expected = {"not found": 404, "not allowed": 403}.get(name, 200)
        assert response.status == expected, (name, response.status)
        check(page, name, width)
    finally:
        context.close()


def choose_in_list(page, names: list[str], action: str) -> None:
    """Tick rows of an admin list by their text and run an action, as an editor does."""
    for name in names:
        page.locator(f'#result_list tr:has(th a:text-is("{name}")) input.action-select').check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_steps_that_ask_first_pass_too(browser, site, sessions, archive, width):
    context = open_as(browser, site, sessions, "chief", width)
    try:
        page = context.new_page()
        page.goto("/admin/articles/actor/?q=Dmitry")
        choose_in_list(page, ["Dmitry Peskov", "Dmitry Polyanskiy"], "merge_actors")
        assert page.locator("h1").inner_text() == "Merge 2 actors into one"
        check(page, "merge", width)
        page.goto("/admin/articles/actor/?q=Dmitry")
        choose_in_list(page, ["Dmitry Peskov"], "rule_out_actors")
        assert page.locator("h1").inner_text() == "Rule out 1 name as never an actor"
        check(page, "rule out", width)
        page.goto("/admin/articles/article/")
        rows = page.locator("#result_list tbody tr th a").all_inner_texts()[:2]
        choose_in_list(page, rows, "delete_selected")
        assert page.locator(".deletion-note").count() == 1
        check(page, "delete selected", width)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_sign_in_warns_then_pauses_in_the_sites_look(browser, site, sessions, width):
    context = open_as(browser, site, sessions, "reader", width)
    try:
        page = context.new_page()
        username = f"nobody-{width}"  # its own count of failures at each width
        for attempt in range(5):
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill("wrong")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            if attempt == 3:
                assert "One more wrong password" in page.locator("[role=alert]").inner_text()
                check(page, "last attempt", width)
        assert page.locator("h1").inner_text() == "Signing in is paused"
        check(page, "signing in paused", width)
    finally:
        context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_wide_screens_show_the_filters_beside_the_results_phones_fold_them_above(browser, site, sessions):
    desktop = open_as(browser, site, sessions, "reader", 1366)
    phone = open_as(browser, site, sessions, "reader", 390)
    try:
        page = desktop.new_page()
        page.goto(f"/search/?q={QUERY}")
        filters, results = box(page, "aside.filters"), box(page, "section.results")
        assert filters["x"] + filters["width"] <= results["x"] and abs(filters["y"] - results["y"]) < 5
        assert page.locator("#filters-heading").is_visible() and page.locator(".filters__toggle").is_hidden()
        assert page.locator("aside.filters a.facet__value").first.is_visible()  # open, whatever the <details> says
        page.goto("/search/?q=zzqqxxnothing")  # nothing to filter: the message takes the whole width
        assert abs(box(page, "section.results")["x"] - box(page, "h1")["x"]) < 2

        page = phone.new_page()
        page.goto(f"/search/?q={QUERY}")
        toggle, heading = box(page, ".filters__toggle"), box(page, "#results-heading")
        assert toggle["y"] + toggle["height"] <= heading["y"]  # the folded filters, then the results
        assert page.locator("aside.filters a.facet__value").first.is_hidden()
        assert box(page, "ol.result-list")["y"] < 900  # the first result on the first screen
        page.locator(".filters__toggle").click()
        assert page.locator("aside.filters a.facet__value").first.is_visible()
    finally:
        desktop.close()
        phone.close()
