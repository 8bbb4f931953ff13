"""In Debian's Chromium against gunicorn: a researcher's search, keyboard use, an editor's new article, axe-core."""

import json
import re
import urllib.request

import pytest

from .accessibility import axe_violations
from .conftest import DEVSET, EDITOR, PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]

QUERY = "president"  # 33 of the dev set's 45 articles: two pages of results


def summary(page) -> str:
    return " ".join(page.locator("#results-heading").inner_text().split())


def headlines(page) -> list[str]:
    return page.locator(".result__headline a").all_inner_texts()


def chips(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".chips a.chip").all_inner_texts()]


def search_json(site, query: str) -> dict:
    with urllib.request.urlopen(site.url(f"/search/?q={query}&format=json"), timeout=30) as response:
        return json.load(response)


def test_researcher_searches_filters_pages_and_reloads_a_bookmark(page):
    page.goto("/")
    page.locator("#q").fill(QUERY)
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(rf"/search/\?q={QUERY}$"))
    match = re.fullmatch(rf"Showing 1–20 of (\d+) results for “{QUERY}”", summary(page))
    assert match, summary(page)
    total = int(match.group(1))
    assert total > 20
    unfiltered_url = page.url

    # A facet value adds its filter to the URL and shows as a chip; the count is the facet's.
    facet = page.get_by_role("link", name=re.compile(r"^Russia \d+$"))
    facet_count = int(facet.locator(".facet__count").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"[?&]actor=russia(&|$)"))
    assert f"q={QUERY}" in page.url
    assert summary(page) == f"Showing 1–{facet_count} of {facet_count} results for “{QUERY}”"
    chip = page.locator(".chips a.chip")
    assert chips(page) == ["Remove filter Country: Russia ×"]

    # Removing the chip gives back the query without the filter.
    chip.click()
    page.wait_for_url(unfiltered_url)
    assert summary(page) == f"Showing 1–20 of {total} results for “{QUERY}”"
    assert page.locator(".chip").count() == 0

    # The next page, then its canonical link opened and reloaded as a bookmark would be.
    first_page = headlines(page)
    page.locator('.pagination a[rel="next"]').click()
    page.wait_for_url(re.compile(r"[?&]page=2(&|$)"))
    assert summary(page) == f"Showing 21–{total} of {total} results for “{QUERY}”"
    assert page.locator('.pagination a[aria-current="page"]').inner_text().split()[-1] == "2"
    second_page = headlines(page)
    assert len(second_page) == total - 20 and not set(second_page) & set(first_page)
    bookmark = page.get_by_role("link", name="Link to this view").get_attribute("href")
    page.goto(bookmark)
    page.reload()
    assert page.url == bookmark
    assert summary(page) == f"Showing 21–{total} of {total} results for “{QUERY}”"
    assert headlines(page) == second_page


def test_researcher_reads_an_article_with_marks_and_follows_an_actor(page, site):
    page.goto(f"/search/?q={QUERY}")
    page.locator(".result__headline a").first.click()
    page.wait_for_url(re.compile(rf"/articles/\d+/[-\w]+/\?hl={QUERY}$"))

    # The full text: the source file's last paragraph is on the page.
    source = page.locator(".article__meta code").inner_text()
    last_paragraph = (DEVSET / source).read_text().strip().split("\n\n")[-1]
    body = " ".join(page.locator(".article__body").inner_text().split())
    assert " ".join(last_paragraph.split())[:80] in body
    marks = page.locator(".article__body mark").all_inner_texts()
    assert marks and all(mark.lower().startswith(QUERY) for mark in marks), marks
    page.goto(page.url.split("?")[0])
    assert page.locator("mark").count() == 0

    # An actor of the article: its link narrows the search to it, and its page lists as many articles.
    tag = page.locator(".article__labels a.tag").first
    name = tag.inner_text().rsplit(" ", 1)[0].strip()
    tag.click()
    page.wait_for_url(re.compile(r"/search/\?actor=[-\w]+$"))
    slug = page.url.rsplit("=", 1)[1]
    assert len(chips(page)) == 1 and chips(page)[0].endswith(f"{name} ×"), chips(page)
    count = int(re.search(r"of (\d+) result", summary(page)).group(1))
    page.goto(f"/actors/{slug}/")
    assert page.locator("h1").inner_text().startswith(name)
    assert re.match(rf"{count} articles?, newest first", summary(page)), summary(page)


def focus_ring(page) -> dict:
    """The focused element and whether it shows a focus indicator (an outline or a box shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: el.innerText || '',
                    visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'};
        }"""
    )


def test_keyboard_reaches_skip_link_then_search_box_with_visible_focus(page, site):
    article = search_json(site, QUERY)["results"][0]["url"]
    page.goto(article)
    page.keyboard.press("Tab")
    skip = focus_ring(page)
    assert (skip["cls"], skip["text"], skip["visible"]) == ("skip-link", "Skip to content", True), skip
    page.keyboard.press("Tab")
    assert focus_ring(page)["text"] == "Newsdesk"  # the home link in the header
    page.keyboard.press("Tab")
    box = focus_ring(page)
    assert (box["id"], box["visible"]) == ("site-q", True), box

    # The skip link moves focus past the header, to the page's content.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert focus_ring(page)["id"] == "main"

    # The search page puts the cursor in its own search box.
    page.goto("/")
    assert focus_ring(page)["id"] == "q"


def test_editor_adds_an_article_in_the_admin_and_finds_it_in_search(axe_page):
    page = axe_page  # axe-core is loaded on every page it opens
    page.goto("/admin/login/")
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))

    # The add page is the paste form: the pasted header fills the date, Preview shows the choices.
    page.goto("/admin/articles/article/add/")
    assert not axe_violations(page), axe_violations(page)
    page.get_by_label("Article text").fill(
        " date 2024-06-01 Negotiators in Valletta agreed on a quokkaharbour accord on Monday.\n\n"
        "The accord covers fishing rights in the central Mediterranean."
    )
    assert page.get_by_label("Date").input_value() == "2024-06-01"  # the small script, before any preview
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert page.locator("#paste-headline").inner_text().startswith("Negotiators in Valletta agreed")
    assert not axe_violations(page), axe_violations(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    assert "added successfully" in page.locator(".messagelist .success").inner_text()

    page.goto("/")
    page.locator("#q").fill("quokkaharbour")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=quokkaharbour"))
    assert summary(page) == "1 result for “quokkaharbour”"
    assert headlines(page)[0].startswith("Negotiators in Valletta agreed")


@pytest.fixture(scope="module")
def article_path(site) -> str:
    return search_json(site, QUERY)["results"][0]["url"] + f"?hl={QUERY}"


@pytest.mark.parametrize("path", [
    "/",
    f"/search/?q={QUERY}",
    f"/search/?q={QUERY}&actor=russia&from=2024-01-01",
    "article",
    "/actors/russia/",
    "/admin/login/",
])
def test_page_has_no_serious_accessibility_violations(axe_page, article_path, path):
    response = axe_page.goto(article_path if path == "article" else path)
    assert response.ok, response.status
    violations = axe_violations(axe_page)
    assert not violations, f"axe-core on {path}:\n" + "\n".join(violations)


def test_researcher_saves_a_view_and_reopens_it_from_my_saved_views(page):
    from .accessibility import AXE

    page.context.add_init_script(path=str(AXE))
    page.goto(f"/search/?q={QUERY}&actor=russia")
    searched = (summary(page), headlines(page))
    assert searched[1]

    # Saving needs an account: the sign-in page (in the site's look) leads back to the save form.
    page.get_by_role("link", name="Save this view").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert page.locator("h1").inner_text() == "Sign in" and not axe_violations(page), axe_violations(page)
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/saved/new/\?q={QUERY}&actor=russia$"))
    assert page.get_by_label("Name").input_value() == f"“{QUERY}”, actor: Russia"
    assert not axe_violations(page), axe_violations(page)
    page.get_by_label("Name").fill("Presidents and Russia")
    page.get_by_label("Note").fill("Look again on Monday")
    page.get_by_role("button", name="Save view").click()

    # "My saved views": name, note, description and counts; Open goes back to the same results.
    page.wait_for_url(re.compile(r"/saved/$"))
    saved = page.locator(".saved-view").filter(has_text="Presidents and Russia")
    assert "Look again on Monday" in saved.inner_text()
    assert saved.locator(".saved-view__description").inner_text() == f"“{QUERY}”, actor: Russia"
    total = re.search(r"of (\d+) result", searched[0]).group(1)
    counts = " ".join(saved.locator(".saved-view__counts").inner_text().split())
    assert counts.startswith(f"{total} matches · nothing new since you last opened it"), counts
    assert not axe_violations(page), axe_violations(page)
    page.goto("/")
    page.get_by_role("link", name="My saved views").click()
    page.locator(".saved-view").filter(has_text="Presidents and Russia").get_by_role("button", name=re.compile("^Open")).click()
    page.wait_for_url(re.compile(rf"/search/\?q={QUERY}&actor=russia$"))
    assert (summary(page), headlines(page)) == searched
