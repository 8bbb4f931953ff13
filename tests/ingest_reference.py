"""Ingest as it was before it was made fast: the plain path that tests/test_ingest_fast.py compares with.

One file after another in this process: read, check for the same text, extract, then store: the
actors looked up (and new ones created) before the article's transaction, the article saved
(its history record written at once), then its actors and topics added through the ORM (the
relation signals rewrite that record and queue the article again); each new actor created
after looking it up again in a transaction of its own. The batch log as articles.batches writes
it; names compared with iexact. Frozen copies of the functions that changed; the unchanged ones
(the short-form look-up, the batch's database steps) are imported.
"""

import contextlib
import functools
import operator
import os
import socket

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.text import slugify

from articles import batches, resolve, services
from articles.history import history_context
from articles.indexer_process import indexing_alongside
from articles.curation import actor_merge
from articles.extraction.short_forms import short_forms
from articles.models import Actor, ActorKind, ActorRedirect, Article, IngestBatch, IngestFileResult, Topic
from articles.prepare import article_prepare
from articles.search.indexing import index_writes_deferred
from articles.resolve import STORE_ATTEMPTS
from articles.services import DUPLICATE, INGESTED, REFUSED, IngestResult
from articles.versions import article_bands_store


def reference_batch_run(*, files, origin, user=None, index_alongside=False) -> IngestBatch:
    """articles.batches.ingest_batch_run as it was (without its refused list and callbacks)."""
    files = list(files)
    batch = IngestBatch.objects.create(origin=origin, user=user, run_by=user.get_username() if user else batches._system_user(),
                                       files_total=len(files), host=socket.gethostname(), pid=os.getpid())
    counts = {INGESTED: 0, DUPLICATE: 0, REFUSED: 0}

    def record(result: IngestResult) -> None:
        IngestFileResult.objects.create(
            batch=batch, name=result.name, status=result.status, reason=result.reason, article=result.article)
        counts[result.status] += 1
        IngestBatch.objects.filter(pk=batch.pk).update(
            ingested=counts[INGESTED], duplicate=counts[DUPLICATE], refused=counts[REFUSED])

    registry = resolve.actor_registry()
    reason = f"upload by {batch.run_by}" if origin == IngestBatch.Origin.UPLOAD else "ingest (command line)"
    alongside = indexing_alongside() if index_alongside else contextlib.nullcontext()
    with history_context(user=user, reason=reason), index_writes_deferred(), alongside:
        for file in files:
            result = reference_article_ingest(path=file.path, name=file.name, registry=registry, on_stored=record)
            if result.status != INGESTED:
                record(result)
    batch.index_note = batches._index_written(None, heal_index=True)
    batch.ingested, batch.duplicate, batch.refused = counts[INGESTED], counts[DUPLICATE], counts[REFUSED]
    batch.finished = timezone.now()
    batch.save(update_fields=["ingested", "duplicate", "refused", "finished", "index_note"])
    return batch


def reference_article_ingest(*, path, name, registry, on_stored) -> IngestResult:
    parsed = services.article_read(path, name=name)
    if isinstance(parsed, IngestResult):
        return parsed
    if existing := Article.objects.filter(fingerprint=parsed.fingerprint).first():
        return services.existing_result(name, existing)
    prepared = article_prepare(parsed, registry, services.topic_rules())
    return reference_article_store(prepared, name=name, source=path.name, on_stored=on_stored)


def reference_article_store(prepared, *, name, source, on_stored) -> IngestResult:
    for attempt in range(1, STORE_ATTEMPTS + 1):
        if existing := Article.objects.filter(fingerprint=prepared.parsed.fingerprint).first():
            return services.existing_result(name, existing)
        actors = set(actors_resolve(list(prepared.extraction.actors)))
        try:
            with transaction.atomic():
                article = _article_create(prepared, source, actors)
                result = IngestResult(name, INGESTED, "", article)
                on_stored(result)
            return result
        except (IntegrityError, OperationalError) as error:
            if attempt == STORE_ATTEMPTS or not services.lost_race(error):
                raise
    raise AssertionError("unreachable")


def _article_create(prepared, source, actors) -> Article:
    article = Article.objects.create(**services.article_fields(prepared, source))
    article_bands_store(article, prepared.signature)
    topics = set(Topic.objects.filter(slug__in=prepared.extraction.topic_slugs))
    if actors or topics:
        article.actors.add(*actors)
        article.topics.add(*topics)
    return article


def actors_resolve(extracted_actors) -> list[Actor]:
    resolved: list[Actor] = []
    for start in range(0, len(extracted_actors), resolve.LOOKUP_WINDOW):
        window = extracted_actors[start:start + resolve.LOOKUP_WINDOW]
        found = _actors_lookup(window)
        created_since_lookup = False
        for position, extracted in enumerate(window):
            if found[position] is None and created_since_lookup:
                found[position] = _actors_lookup([extracted])[0]
            if found[position] is not None:
                resolved.append(found[position])
                continue
            created = _actor_create(extracted)
            created_since_lookup = True
            known = [actor.pk for actor in resolved + found[position + 1:] if actor is not None]
            alive = set(Actor.objects.filter(pk__in=known).values_list("pk", flat=True)) if known else set()
            resolved = [actor if actor.pk in alive else created for actor in resolved]
            later = [other for other in range(position + 1, len(window))
                     if (found[other] is not None and found[other].pk not in alive)
                     or resolve._may_resolve_to(window[other], created)]
            for other, actor in zip(later, _actors_lookup([window[other] for other in later]) if later else []):
                found[other] = actor
            resolved.append(created)
    return resolved


def _actor_create(extracted) -> Actor:
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                resolve._creation_lock(extracted)
                if (existing := _actors_lookup([extracted])[0]) is not None:
                    return existing
                return _actor_insert(extracted)
        except IntegrityError:
            if (existing := _actors_lookup([extracted])[0]) is not None:
                return existing
            if attempt == STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _actor_insert(extracted) -> Actor:
    actor = Actor.objects.create(
        name=extracted.name,
        kind=extracted.kind,
        slug=resolve._free_slug(slugify(extracted.name)[:200] or "actor"),
        aliases="\n".join(extracted.aliases),
    )
    for short in short_forms(actor.name, actor.kind):
        for short_actor in Actor.objects.filter(kind=actor.kind, name__iexact=short):
            if resolve._actor_by_short_form(short_actor) == actor:
                actor = actor_merge(survivor=actor, merged=short_actor)
    return actor


def _actors_lookup(extracted_actors) -> list[Actor | None]:
    slugs = [slugify(extracted.name)[:200] or "actor" for extracted in extracted_actors]
    redirects = {
        redirect.old_slug: redirect.actor
        for redirect in ActorRedirect.objects.filter(old_slug__in=set(slugs)).select_related("actor")
    }
    named = {
        f"_named_{position}": ExpressionWrapper(
            Q(name__iexact=extracted.name, kind=extracted.kind), output_field=BooleanField()
        )
        for position, extracted in enumerate(extracted_actors)
    }
    candidates = list(
        Actor.objects.filter(Q(slug__in=set(slugs)) | _any(named.values())).annotate(**named).order_by("name", "pk")
    )
    by_slug = {actor.slug: actor for actor in candidates}
    found = []
    for position, (extracted, slug) in enumerate(zip(extracted_actors, slugs)):
        found.append(
            next((actor for actor in candidates if getattr(actor, f"_named_{position}")), None)
            or by_slug.get(slug)
            or redirects.get(slug)
        )
    unresolved = [position for position, actor in enumerate(found) if actor is None]
    for position, actor in _actors_by_alias([extracted_actors[p] for p in unresolved]).items():
        found[unresolved[position]] = actor
    for position in unresolved:
        found[position] = found[position] or resolve._actor_by_short_form(extracted_actors[position])
    return found


def _actors_by_alias(extracted_actors) -> dict[int, Actor]:
    listed = {
        f"_listed_{position}": ExpressionWrapper(
            Q(kind=extracted.kind, aliases__icontains=extracted.name), output_field=BooleanField()
        )
        for position, extracted in enumerate(extracted_actors)
        if not (extracted.kind == ActorKind.PERSON and len(extracted.name.split()) < 2)
    }
    if not listed:
        return {}
    candidates = list(Actor.objects.filter(_any(listed.values())).annotate(**listed).order_by("name", "pk"))
    found = {}
    for key in listed:
        position = int(key.rsplit("_", 1)[1])
        wanted = extracted_actors[position].name.casefold()
        for actor in candidates:
            if getattr(actor, key) and wanted in (alias.casefold() for alias in actor.alias_list):
                found[position] = actor
                break
    return found


def _any(conditions) -> Q:
    return functools.reduce(operator.or_, (condition.expression for condition in conditions))
