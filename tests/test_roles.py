"""Editors and chief editors: what each may do in the admin; accounts never get a default password."""

import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command

from articles.models import Actor, Article
from articles.roles import CHIEF_EDITORS, EDITORS, ROLES, roles_ensure

from .pages import parse
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


def test_editors_read_never_an_actor_names_and_only_chief_editors_add_or_change_them(client, roles, search_index):
    account(client, "ed")
    assert client.get("/admin/articles/neveractor/").status_code == 200
    assert client.get("/admin/articles/neveractor/add/").status_code == 403
    assert client.post("/admin/articles/neveractor/add/", {"name": "Jens Stoltenberg"}).status_code == 403
    editor = User.objects.get(username="ed")
    assert not editor.has_perm("articles.add_neveractor") and not editor.has_perm("articles.change_neveractor")
    chief_client = client.__class__()
    chief = account(chief_client, "chief", chief=True)
    assert chief.has_perm("articles.add_neveractor") and chief.has_perm("articles.change_neveractor")
    assert chief_client.get("/admin/articles/neveractor/add/").status_code == 200


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


# Only superusers grant rights


def user_form(user: User, **changes) -> dict:
    """The admin's change form of an account, as posted with its current values and `changes`."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "is_active": "on", "is_staff": "on" if user.is_staff else "", "is_superuser": "on" if user.is_superuser else "",
        "groups": [group.pk for group in user.groups.all()], "user_permissions": [],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
    }
    return {key: value for key, value in {**data, **changes}.items() if value != ""}


def test_a_chief_editor_cannot_make_themselves_superuser_or_take_other_rights(client, roles):
    chief = account(client, "chief", chief=True)
    page = parse(client.get(f"/admin/auth/user/{chief.pk}/change/"))
    assert page.select('input[name="is_superuser"], input[name="is_staff"], select[name="groups"], select[name="user_permissions"]') == []
    everything = [permission.pk for permission in Permission.objects.all()]
    response = client.post(f"/admin/auth/user/{chief.pk}/change/", user_form(
        chief, first_name="Chief", is_superuser="on", groups=[Group.objects.get(name=EDITORS).pk], user_permissions=everything,
    ))
    assert response.status_code == 302
    chief.refresh_from_db()
    assert chief.first_name == "Chief"  # the rest of the account is theirs to edit
    assert not chief.is_superuser and chief.user_permissions.count() == 0
    assert list(chief.groups.values_list("name", flat=True)) == [CHIEF_EDITORS]


def test_a_chief_editor_may_not_give_a_researcher_staff_status(client, roles):
    account(client, "chief", chief=True)
    researcher = User.objects.create_user("carol")
    response = client.post(f"/admin/auth/user/{researcher.pk}/change/", user_form(researcher, is_staff="on", is_superuser="on"))
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert not researcher.is_staff and not researcher.is_superuser


@pytest.mark.parametrize("whose, status", [("own", 200), ("researcher", 200), ("editor", 403), ("superuser", 403)])
def test_a_chief_editor_opens_only_their_own_and_researchers_password_forms(client, roles, whose, status):
    chief = account(client, "chief", chief=True)
    accounts = {
        "own": chief,
        "researcher": User.objects.create_user("carol"),
        "editor": User.objects.create_user("ed", is_staff=True),
        "superuser": User.objects.create_superuser("root", password="x-unused-x"),
    }
    target = accounts[whose]
    assert client.get(f"/admin/auth/user/{target.pk}/password/").status_code == status
    response = client.post(f"/admin/auth/user/{target.pk}/password/", {"password1": "Chief-chose-this-9", "password2": "Chief-chose-this-9"})
    target.refresh_from_db()
    assert target.check_password("Chief-chose-this-9") == (status == 200), response.status_code


def test_a_chief_editor_only_reads_other_staff_accounts_and_groups(client, roles):
    account(client, "chief", chief=True)
    root = User.objects.create_superuser("root", password="x-unused-x")
    response = client.post(f"/admin/auth/user/{root.pk}/change/", user_form(root, username="root2", is_superuser=""))
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.username == "root" and root.is_superuser
    chiefs = Group.objects.get(name=CHIEF_EDITORS)
    everything = [permission.pk for permission in Permission.objects.all()]
    response = client.post(f"/admin/auth/group/{chiefs.pk}/change/", {"name": CHIEF_EDITORS, "permissions": everything})
    assert response.status_code == 403
    assert chiefs.permissions.count() == len(ROLES[CHIEF_EDITORS])


def test_a_superuser_still_grants_staff_status(client, roles):
    client.force_login(User.objects.create_superuser("root", password="x-unused-x"))
    researcher = User.objects.create_user("carol")
    response = client.post(f"/admin/auth/user/{researcher.pk}/change/", user_form(researcher, is_staff="on"))
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.is_staff
