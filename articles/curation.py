"""Editors' decisions about actors and topics: merge, rule out, and per-article overrides.

Each is one transaction; the index follows through articles.search.indexing's queue. A merge moves
the links in bulk (articles.relink), so it takes a few queries for any number of articles; a merge
or a ruling-out writes one history row on every article it changes, saying what was done.
"""

from django.db import transaction

from .extraction.short_forms import short_forms
from .extraction.tokens import fold
from .models import (
    Actor,
    ActorRedirect,
    Article,
    ArticleActorDecision,
    ArticleTopicDecision,
    NeverActor,
    Topic,
    TopicRedirect,
)
from .relink import articles_relink, articles_unlink


@transaction.atomic
def actor_merge(*, survivor: Actor, merged: Actor) -> Actor:
    """Fold `merged` into `survivor`: articles, decisions, aliases, members; its URLs redirect."""
    if survivor.pk == merged.pk:
        raise ValueError("An actor cannot be merged into itself.")
    articles_relink(field="actors", merged=merged, survivor=survivor,
                    reason=f"actor “{merged.name}” merged into “{survivor.name}”")
    _move_decisions(ArticleActorDecision, "actor", merged, survivor)
    Actor.objects.filter(affiliation=merged).update(affiliation=survivor)
    survivor.aliases = _merged_aliases(survivor, merged)
    survivor.description = survivor.description or merged.description
    survivor.affiliation = survivor.affiliation or (merged.affiliation if merged.affiliation != survivor else None)
    survivor.save()
    merged.redirects.update(actor=survivor)
    old_slug = merged.slug
    merged.delete()
    ActorRedirect.objects.create(old_slug=old_slug, actor=survivor)
    return survivor


@transaction.atomic
def topic_merge(*, survivor: Topic, merged: Topic) -> Topic:
    """Fold `merged` into `survivor`: articles, decisions and keywords; its URLs redirect."""
    if survivor.pk == merged.pk:
        raise ValueError("A topic cannot be merged into itself.")
    articles_relink(field="topics", merged=merged, survivor=survivor,
                    reason=f"topic “{merged.name}” merged into “{survivor.name}”")
    _move_decisions(ArticleTopicDecision, "topic", merged, survivor)
    keywords = dict.fromkeys(survivor.keyword_list + merged.keyword_list)
    survivor.keywords = "\n".join(keywords)
    survivor.description = survivor.description or merged.description
    survivor.save()
    merged.redirects.update(topic=survivor)
    old_slug = merged.slug
    merged.delete()
    TopicRedirect.objects.create(old_slug=old_slug, topic=survivor)
    return survivor


@transaction.atomic
def actor_short_forms_merge() -> list[tuple[str, str]]:
    """Merge each actor named by a one-word short form into the one full-named actor it can mean.

    "Blair" goes into Tony Blair and "Labour" into Labour Party, with their articles and
    decisions (actor_merge); "Brown" stays apart while Gordon Brown and Chris Brown are
    both known. Returns (merged name, survivor name) pairs.
    """
    full_names: dict[tuple[str, str], list[Actor]] = {}  # (kind, folded short form) -> actors it shortens
    short: list[Actor] = []
    for actor in Actor.objects.exclude(kind="country").order_by("pk"):
        if " " in actor.name.strip():
            for form in short_forms(actor.name, actor.kind):
                full_names.setdefault((actor.kind, form), []).append(actor)
        else:
            short.append(actor)
    merges = []
    for actor in short:
        candidates = full_names.get((actor.kind, fold(actor.name.strip()).casefold()), [])
        if len(candidates) == 1:
            merges.append((actor.name, actor_merge(survivor=candidates[0], merged=actor).name))
    return merges


def _merged_aliases(survivor: Actor, merged: Actor) -> str:
    """The survivor's aliases plus the merged actor's name and aliases, once each."""
    names = survivor.alias_list + [merged.name] + merged.alias_list
    seen = {survivor.name.casefold()}
    kept = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return "\n".join(kept)


def _move_decisions(model, field: str, merged, survivor) -> None:
    """Re-point decisions about `merged`; where the article already has one about the survivor, that one wins."""
    decided = set(model.objects.filter(**{field: survivor}).values_list("article_id", flat=True))
    model.objects.filter(**{field: merged}, article_id__in=decided).delete()
    model.objects.filter(**{field: merged}).update(**{field: survivor})


@transaction.atomic
def actor_rule_out(*, actor: Actor) -> str:
    """Record the actor's name as never an actor, and delete it from every article (a history row on each)."""
    NeverActor.objects.get_or_create(name=actor.name)
    name = actor.name
    articles_unlink(field="actors", label=actor, reason=f"“{name}” ruled out: never an actor")
    actor.delete()
    return name


@transaction.atomic
def never_actor_add(*, never: NeverActor) -> NeverActor:
    """Save a ruled-out name (new or corrected) and rule out every actor of that name now, as the action does."""
    never.save()
    for actor in Actor.objects.filter(name__iexact=never.name):
        actor_rule_out(actor=actor)
    return never


@transaction.atomic
def article_labels_decide(*, article: Article, actors_before: set, topics_before: set) -> None:
    """Remember an editor's additions and removals of the article's actors and topics."""
    _decide(article, ArticleActorDecision, "actor", actors_before, set(article.actors.all()))
    _decide(article, ArticleTopicDecision, "topic", topics_before, set(article.topics.all()))


def _decide(article: Article, model, field: str, before: set, after: set) -> None:
    for label, included in [(label, True) for label in after - before] + [(label, False) for label in before - after]:
        model.objects.update_or_create(article=article, **{field: label}, defaults={"included": included})
