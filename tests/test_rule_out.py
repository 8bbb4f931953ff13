"""Ruling a name out as never an actor: a chief editor's step everywhere, and the name leaves every page at once."""

import pytest

from articles.models import Actor, NeverActor

from .pages import facet_values, parse, result_rows, text_of
from .test_roles import account, roles  # noqa: F401 (fixture)

ADD_URL = "/admin/articles/neveractor/add/"


def test_editors_read_the_list_but_cannot_add_change_or_remove_a_name(client, roles, search_index):  # noqa: F811
    never = NeverActor.objects.create(name="Thursday")
    account(client, "ed")
    listing = parse(client.get("/admin/articles/neveractor/"))
    assert [text_of(cell) for cell in listing.select("#result_list tbody th, #result_list tbody td.field-name")][:1] == ["Thursday"]
    assert listing.select_one(".object-tools .addlink") is None
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"name": "Monday"}).status_code == 403
    assert client.post(f"/admin/articles/neveractor/{never.pk}/change/", {"name": "Friday"}).status_code == 403
    assert client.post(f"/admin/articles/neveractor/{never.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(NeverActor.objects.values_list("name", flat=True)) == ["Thursday"]


def test_a_name_added_on_the_list_leaves_every_page_at_once(client, roles, small_archive):  # noqa: F811
    def putin_shown() -> dict:
        page = parse(client.get("/search/", {"q": "officials"}))
        return {
            "facet": "Vladimir Putin" in facet_values(page, "actor-person"),
            "rows": any(text == "Vladimir Putin" for row in result_rows(page) for text, _ in row.tags),
        }

    assert putin_shown() == {"facet": True, "rows": True}
    account(client, "chief", chief=True)
    response = client.post(ADD_URL, {"name": "vladimir putin"})  # any case
    assert response.status_code == 302
    assert not Actor.objects.filter(slug="vladimir-putin").exists()
    assert putin_shown() == {"facet": False, "rows": False}
    assert client.get("/actors/vladimir-putin/").status_code == 404
    page = parse(client.get("/search/", {"actor": "vladimir-putin"}))
    assert [text_of(item) for item in page.select(".notice li")] == [  # a ruled-out actor's filter matches nothing
        "There is no actor “vladimir-putin” (nor one renamed or merged from it): no article can match it, "
        "so there are no results; remove it to search without it."
    ]
    assert result_rows(page) == []


@pytest.mark.parametrize("path", ["/admin/articles/neveractor/", ADD_URL])
def test_chief_editors_manage_the_list(client, roles, search_index, path):  # noqa: F811
    account(client, "chief", chief=True)
    assert client.get(path).status_code == 200
