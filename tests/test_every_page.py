"""Every kind of page, rendered over a small archive, shows no Python repr, template syntax, None or traceback.

Public pages, researchers' saved-view pages and every admin page (each registered model's list,
change and add forms, histories, delete confirmations, merge, rule out, upload, paste, recently
deleted). The admin's pages are found from the admin's own registry, so a new model is checked too.
"""

import re

from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from articles.models import Actor, Article
from savedviews.models import SavedView

from .pages import artefacts, parse
from .uploads import GOOD, txt

SAVED_VIEW = "q=officials&actor=vladimir-putin&from=2024-01-01"


def test_no_page_shows_an_artefact(client, small_archive, default_topics):
    chief = User.objects.create_superuser("chief", password="a-long-test-password-42")
    client.force_login(chief)
    archive = build_archive(client, small_archive)
    pages = public_pages(archive) + saved_view_pages(archive) + admin_pages(client, archive)
    problems = []
    for name, method, path, data, status in pages + error_pages(archive):
        who = data.pop("_as", client) if isinstance(data, dict) else client
        response = who.post(path, data) if method == "POST" else who.get(path, data)
        if response.status_code != status:
            problems.append(f"{name} {method} {path}: {response.status_code}, expected {status}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        problems += [f"{name} {path}: {found}" for found in artefacts(parse(response))]
    assert len(pages) > 60, len(pages)
    assert not problems, "\n".join(problems)


def build_archive(client, small_archive) -> dict:
    """The small archive plus what only editors and researchers make: a saved and shared view, an upload, a deletion."""
    client.post(reverse("saved_view_new"), {"params": SAVED_VIEW, "name": "“officials”, Putin", "note": "Look again"})
    saved = SavedView.objects.get()
    client.post(reverse("saved_view_share", args=[saved.pk]))
    client.post(reverse("admin:articles_article_upload"), {"files": [txt("zurich.txt", GOOD)]})
    deleted = small_archive["html"]
    client.post(reverse("admin:articles_article_delete", args=[deleted.pk]), {"post": "yes"})
    Actor.objects.filter(slug="vladimir-putin").update(aliases="Putin")
    client.post(reverse("admin:articles_neveractor_add"), {"name": "Thursday"})
    return {**small_archive, "saved": SavedView.objects.get(), "deleted": deleted}


def public_pages(archive) -> list[tuple]:
    article = archive["summit"]
    return [
        ("home", "GET", "/", {}, 200),
        ("search", "GET", "/search/", {"q": "officials"}, 200),
        ("phrase", "GET", "/search/", {"q": '"Vladimir Putin" Beijing'}, 200),
        ("filtered", "GET", "/search/", {"q": "officials", "actor": "vladimir-putin", "topic_not": "energy",
                                         "actor_any": ["china", "russia"], "from": "2024-01-01", "to": "2024-12-31"}, 200),
        ("no results", "GET", "/search/", {"q": "zebra", "actor": "nato"}, 200),
        ("did you mean", "GET", "/search/", {"q": "Putni"}, 200),
        ("wildcard", "GET", "/search/", {"q": "a*"}, 200),
        ("bad values", "GET", "/search/", {"from": "soon", "actor": "nobody", "sort": "x", "page": "y"}, 200),
        ("past the end", "GET", "/search/", {"q": "officials", "page": "9"}, 404),
        ("by day", "GET", "/search/", {"from": "2024-05-01", "to": "2024-05-31"}, 200),
        ("article", "GET", article.get_absolute_url(), {"hl": '"Xi Jinping" talks'}, 200),
        ("old slug", "GET", f"/articles/{article.pk}/old/", {"hl": "talks"}, 301),
        ("actor", "GET", "/actors/vladimir-putin/", {}, 200),
        ("topic", "GET", "/topics/diplomacy/", {}, 200),
        ("compare form", "GET", "/compare/", {}, 200),
        ("compare", "GET", "/compare/", {"s": ["q:officials", "actor:vladimir-putin", "actor:china"]}, 200),
        ("compare shares", "GET", "/compare/", {"s": ["actor:russia", "actor:nato"], "measure": "share"}, 200),
        ("not found", "GET", "/no/such/page/", {}, 404),
        ("sign in", "GET", "/accounts/login/", {}, 302),  # signed in already: on to the saved views
    ]


def error_pages(archive) -> list[tuple]:
    """Pages a chief never meets: an editor not allowed, a sign-in paused after too many wrong passwords."""
    from django.conf import settings
    from django.test import Client

    from articles.roles import EDITORS, roles_ensure

    roles_ensure(Group, Permission)  # transactional tests flush what the migration created
    editor, stranger = Client(), Client()
    account = User.objects.create_user("ed", password="a-long-test-password-42", is_staff=True)
    account.groups.add(Group.objects.get(name=EDITORS))
    editor.force_login(account)
    wrong = {"username": "ed", "password": "wrong", "next": "/admin/"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        stranger.post("/admin/login/", wrong)
    return [
        ("not allowed", "GET", reverse("admin:articles_article_delete", args=[archive["gas"].pk]), {"_as": editor}, 403),
        ("last attempt", "POST", "/admin/login/", {**wrong, "_as": stranger}, 200),
        ("signing in paused", "POST", "/accounts/login/", {**wrong, "_as": stranger}, 429),
        ("sign in page", "GET", "/accounts/login/", {"_as": Client()}, 200),
        ("admin sign in", "GET", "/admin/login/", {"_as": Client()}, 200),
    ]


def saved_view_pages(archive) -> list[tuple]:
    saved = archive["saved"]
    return [
        ("saved views", "GET", "/saved/", {}, 200),
        ("save this view", "GET", "/saved/new/", {"q": "officials", "actor": "china"}, 200),
        ("save again", "GET", f"/saved/new/?{SAVED_VIEW}", {}, 200),
        ("edit saved view", "GET", f"/saved/{saved.pk}/edit/", {}, 200),
        ("delete saved view", "GET", f"/saved/{saved.pk}/delete/", {}, 200),
        ("shared view", "GET", saved.share_url(), {}, 200),
        ("password", "GET", "/accounts/password/", {}, 200),
    ]


def admin_pages(client, archive) -> list[tuple]:
    """The index, and for every registered model its list, add form, first object's change form, history, deletion."""
    pages = [("admin index", "GET", reverse("admin:index"), {}, 200),
             ("app index", "GET", reverse("admin:app_list", args=["articles"]), {}, 200)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"{opts.app_label}.{opts.model_name}"
        url = lambda view, *args: reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)  # noqa: E731
        pages.append((f"{name} list", "GET", url("changelist"), {}, 200))
        pages.append((f"{name} list searched", "GET", url("changelist"), {"q": "a"}, 200))
        if model_admin.has_add_permission(_request(client)):
            pages.append((f"{name} add", "GET", url("add"), {}, 200))
        first = model._default_manager.order_by("pk").first()
        if first is None:
            continue
        pages.append((f"{name} change", "GET", url("change", first.pk), {}, 200))
        if hasattr(model_admin, "history_view"):
            pages.append((f"{name} history", "GET", url("history", first.pk), {}, 200))
        if model_admin.has_delete_permission(_request(client), first):
            pages.append((f"{name} delete", "GET", url("delete", first.pk), {}, 200))
    article = archive["summit"]
    record = Article.history.filter(id=article.pk).order_by("history_id").first()
    actors = list(Actor.objects.filter(slug__in=["vladimir-putin", "xi-jinping"]).values_list("pk", flat=True))
    return pages + [
        ("article version", "GET", reverse("admin:articles_article_simple_history", args=[article.pk, record.pk]), {}, 200),
        ("article search", "GET", reverse("admin:articles_article_changelist"), {"date__year": "2024"}, 200),
        ("merge", "POST", reverse("admin:articles_actor_changelist"), {"action": "merge_actors", "_selected_action": actors}, 200),
        ("rule out", "POST", reverse("admin:articles_actor_changelist"), {"action": "rule_out_actors", "_selected_action": actors[:1]}, 200),
        ("delete selected", "POST", reverse("admin:articles_article_changelist"),
         {"action": "delete_selected", "_selected_action": [article.pk, archive["gas"].pk]}, 200),
        ("upload", "GET", reverse("admin:articles_article_upload"), {}, 200),
        ("upload results", "POST", reverse("admin:articles_article_upload"), {"files": [txt("bad.txt", "no date")]}, 200),
        ("paste preview", "POST", reverse("admin:articles_article_add"), {"text": GOOD.replace("Zürich", "Geneva"), "_preview": "1"}, 200),
        ("paste errors", "POST", reverse("admin:articles_article_add"), {"text": "", "_save": "1"}, 200),
        ("recently deleted", "GET", reverse("admin:articles_article_deleted"), {}, 200),
        ("search index progress", "GET", reverse("index_progress"), {}, 200),
        ("deleted article history", "GET", reverse("admin:articles_article_history", args=[archive["deleted"].pk]), {}, 200),
    ]


def _request(client):
    """A request carrying the signed-in chief, for the admin's permission checks."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=int(client.session["_auth_user_id"]))
    return request


def test_the_artefact_check_finds_what_it_looks_for():
    from bs4 import BeautifulSoup

    shown = {
        "<li>LabelLink(label='China', kind='country')</li>": 1,
        "<td>None</td>": 1,
        "<p>Article-actor relationship: Article_actors object (3312)</p>": 1,
        "<p>{{ article.headline }}</p>": 1,
        '<a href="None">x</a>': 1,
        "<pre>Traceback (most recent call last):</pre>": 1,
        "<p>None of these series matches an article.</p>": 0,
        "<p>Showing 1–2 of 2 results for “gas”</p>": 0,
    }
    for html, expected in shown.items():
        assert bool(artefacts(BeautifulSoup(html, "html.parser"))) is bool(expected), html
    assert re  # the module's own pattern is in tests.pages
