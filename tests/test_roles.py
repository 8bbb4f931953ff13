"""Editors and chief editors: what each may do in the admin; accounts never get a default password."""

import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command

from articles.models import Actor, Article
from articles.roles import CHIEF_EDITORS, EDITORS, ROLES, roles_ensure

from .test_paste import paste_article


@pytest.fixture
def roles(transactional_db):
    roles_ensure(Group, Permission)  # transactional tests flush what the migration created


def account(client, name, chief=False):
    call_command("createeditor", name, *(["--chief"] if chief else []), stdout=io.StringIO())
    user = User.objects.get(username=name)
    client.force_login(user)
    return user


def test_createeditor_makes_a_staff_account_with_no_usable_password(roles):
    out = io.StringIO()
    call_command("createeditor", "alice", stdout=out)
    user = User.objects.get(username="alice")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert "python manage.py changepassword alice" in out.getvalue()
    with pytest.raises(CommandError, match="already an account"):
        call_command("createeditor", "alice", stdout=io.StringIO())


def test_editor_adds_and_changes_articles_but_cannot_delete(client, roles, search_index):
    account(client, "ed")
    response = paste_article(client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    assert response.status_code == 302
    article = Article.objects.get()
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_only_chief_editors_may_merge_rule_out_and_manage_users(client, roles, search_index):
    a = Actor.objects.create(name="A One", kind="person", slug="a-one")
    b = Actor.objects.create(name="A. One", kind="person", slug="a-one-2")
    account(client, "ed")
    actions = client.get("/admin/articles/actor/").content.decode()
    assert "merge_actors" not in actions and "rule_out_actors" not in actions
    chief_client = client.__class__()
    account(chief_client, "chief", chief=True)
    actions = chief_client.get("/admin/articles/actor/").content.decode()
    assert "merge_actors" in actions and "rule_out_actors" in actions
    assert chief_client.get("/admin/auth/user/").status_code == 200
    response = chief_client.post("/admin/articles/actor/", {"action": "merge_actors", "_selected_action": [a.pk, b.pk], "apply": "Merge", "survivor": a.pk})
    assert response.status_code == 302 and not Actor.objects.filter(pk=b.pk).exists()


def test_groups_exist_after_migrations(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITORS, CHIEF_EDITORS}


def test_groups_have_exactly_their_roles_permissions_after_migrations(db):
    for name, wanted in ROLES.items():
        granted = Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
        assert sorted(f"{app}.{codename}" for app, codename in granted) == sorted(wanted), name


def test_roles_skip_permissions_of_models_a_later_migration_creates(roles, monkeypatch):
    monkeypatch.setitem(ROLES, EDITORS, [*ROLES[EDITORS], "articles.view_notyetamodel"])
    roles_ensure(Group, Permission)  # as migration 0005 did before the ingest log existed
    assert Group.objects.get(name=EDITORS).permissions.count() == len(ROLES[EDITORS]) - 1
    monkeypatch.setitem(ROLES, EDITORS, [*ROLES[EDITORS][:-1], "articles.fly_article"])
    with pytest.raises(LookupError, match="articles.fly_article"):
        roles_ensure(Group, Permission)


def test_editors_read_the_ingest_log(client, roles, search_index):
    user = account(client, "ed")
    assert user.has_perms(["articles.view_ingestbatch", "articles.view_ingestfileresult"])
    assert client.get("/admin/articles/ingestbatch/").status_code == 200
