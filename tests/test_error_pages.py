"""Pages for what went wrong, in the site's look: not allowed, form expired, sign-in paused (and its warning)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from .pages import parse, text_of
from .test_roles import account, roles  # noqa: F401 (fixture)

SIGN_IN_PAGES = [("/admin/login/", "/admin/"), ("/accounts/login/", "/saved/")]


def sign_in(client, url, next_url, password):
    return client.post(url, {"username": "editor", "password": password, "next": next_url})


def errors_of(response) -> list[str]:
    page = parse(response)
    return [text_of(node) for node in page.select(".errornote, .errorlist li, .notice--error p")]


@pytest.mark.parametrize("url, next_url", SIGN_IN_PAGES)
def test_sign_in_warns_before_the_attempt_that_locks_the_account(client, transactional_db, url, next_url):
    User.objects.create_user("editor", password="the-right-password-1", is_staff=True)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        warning = "One more wrong password pauses signing in to this account for 15 minutes."
        shown = errors_of(sign_in(client, url, next_url, "wrong"))
        assert (warning in shown) is (attempt == settings.AXES_FAILURE_LIMIT - 1), (attempt, shown)


@pytest.mark.parametrize("url, next_url", SIGN_IN_PAGES)
def test_lockout_page_says_what_happened_for_how_long_and_a_way_back(client, transactional_db, url, next_url):
    User.objects.create_user("editor", password="the-right-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, url, next_url, "wrong")
    assert response.status_code == 429
    page = parse(response)
    assert page.select_one("header.site-header a.brand")  # the site's own header
    assert text_of(page.h1) == "Signing in is paused"
    assert text_of(page.select_one("[role=alert]")) == (
        f"There were {settings.AXES_FAILURE_LIMIT} wrong passwords in a row for editor, "
        "so signing in to this account is paused for 15 minutes."
    )
    assert page.select_one("main a[href='/search/']")


def test_forbidden_admin_page_explains_and_leads_back(client, roles, small_archive):  # noqa: F811
    account(client, "ed")
    response = client.get(f"/admin/articles/article/{small_archive['gas'].pk}/delete/")
    assert response.status_code == 403
    page = parse(response)
    assert page.select_one("header.site-header a.brand") and text_of(page.h1) == "You may not open this page"
    assert "signed in as ed" in text_of(page.select_one("main"))
    assert {link["href"] for link in page.select("main a")} >= {"/admin/", "/search/"}


def test_expired_form_explains_itself(small_archive):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = parse(response)
    assert text_of(page.h1) == "This form has expired" and "Nothing was saved." in text_of(page.select_one("main"))
