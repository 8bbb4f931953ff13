"""Facet groups: the most frequent actors of each kind, loaded a few hundred at a time."""

from articles import facets
from articles.forms import SearchFilters
from articles.models import Actor
from articles.search.engines.base import FacetCounts


def shown(filters, counts):
    return {group.name: [(value.label, value.count) for value in group.values]
            for group in facets.facet_groups(filters, FacetCounts(counts, {}, {}))}


def test_each_kind_lists_its_most_frequent_actors_however_few_are_loaded_at_once(many_actors, monkeypatch):
    everything_at_once = shown(SearchFilters(), many_actors)
    monkeypatch.setattr(facets, "ACTORS_PER_QUERY", 5)
    assert shown(SearchFilters(), many_actors) == everything_at_once
    assert [label for label, _ in everything_at_once["actor-person"]][:2] == ["Person 39", "Person 38"]
    assert len(everything_at_once["actor-organisation"]) == facets.VALUES_PER_GROUP
    assert everything_at_once["actor-country"] == [("Ruritania", 50)]


def test_a_selected_rare_actor_stays_listed(many_actors, monkeypatch):
    monkeypatch.setattr(facets, "ACTORS_PER_QUERY", 5)
    rare = Actor.objects.get(slug="person-00")
    groups = shown(SearchFilters(actors_any=(rare,)), many_actors)
    assert ("Person 00", 100) in groups["actor-person"]
