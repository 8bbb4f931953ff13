"""Writes: ingest a file, (re)assign an article's actors and topics."""

import dataclasses
import functools
import hashlib
import operator
from collections.abc import Callable
from pathlib import Path

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.text import slugify

from .curation import actor_merge
from .extraction import ActorRegistry, ExtractedActor, KnownActor, TopicRule
from .extraction.short_forms import only_full_form, short_forms
from .ingest import ArticleRefused, read_article
from .models import Actor, ActorKind, ActorRedirect, Article, NeverActor, Topic
from .prepare import PreparedArticle, article_prepare, article_text, text_extraction
from .similarity import pack_signature
from .versions import article_bands_store, similar_original

INGESTED, DUPLICATE, REFUSED = "ingested", "duplicate", "refused"
MAX_FILE_BYTES = 5 * 1024 * 1024
LOOKUP_WINDOW = 50  # extracted actors looked up in one query (actors_resolve)
STORE_ATTEMPTS = 3  # an insert that lost a race with another process is tried again (article_store, _actor_create)


@dataclasses.dataclass(frozen=True)
class IngestResult:
    name: str  # the file as the user named it
    status: str  # INGESTED | DUPLICATE | REFUSED
    reason: str = ""
    article: Article | None = None


def article_ingest(
    *,
    path: Path,
    name: str | None = None,
    registry: ActorRegistry | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    on_stored: Callable[[IngestResult], None] | None = None,
) -> IngestResult:
    """Store one article file with its actors and topics, or say why not.

    The file is read and extracted outside any transaction (articles.prepare); storing is one
    short transaction, which also runs on_stored(result) (the batch log's row: stored together or not at all).
    """
    name = name or str(path)
    try:
        if path.stat().st_size > max_bytes:
            return IngestResult(name, REFUSED, f"the file is larger than {size_text(max_bytes)}")
        raw = path.read_bytes()
    except OSError as error:
        return IngestResult(name, REFUSED, f"could not read the file ({error.strerror or error})")
    try:
        parsed = read_article(raw)
    except ArticleRefused as refusal:
        return IngestResult(name, REFUSED, refusal.reason)
    if existing := Article.objects.filter(fingerprint=parsed.fingerprint).first():
        return _duplicate(name, existing)  # before extraction: a re-run of a large batch costs little
    prepared = article_prepare(parsed, registry or actor_registry(), topic_rules())
    return article_store(prepared, name=name, source=path.name, on_stored=on_stored)


def size_text(size: int) -> str:
    """Say a size limit in whole units: 5242880 -> "5 MB", 524288 -> "512 KB"."""
    return f"{size // 2**20} MB" if size % 2**20 == 0 else f"{size // 2**10} KB"


def article_store(
    prepared: PreparedArticle, *, name: str, source: str, on_stored: Callable[[IngestResult], None] | None = None
) -> IngestResult:
    """Create the article in one short transaction unless its text is already in the archive.

    Its actors are looked up first, outside that transaction: a file naming thousands of new
    actors creates each in a transaction of its own, and the article's transaction only inserts
    rows. Another process may store the same text, or create or merge one of its actors, between
    our lookups and our inserts (PostgreSQL lets them run at once): the insert then fails, the
    transaction rolls back, and the store is tried again from the lookups, which now see the other
    process's rows.
    """
    for attempt in range(1, STORE_ATTEMPTS + 1):
        if existing := Article.objects.filter(fingerprint=prepared.parsed.fingerprint).first():
            return _duplicate(name, existing)
        actors = set(actors_resolve(list(prepared.extraction.actors)))
        try:
            with transaction.atomic():
                article = _article_create(prepared, source, actors)
                result = IngestResult(name, INGESTED, "", article)
                if on_stored:
                    on_stored(result)
            return result
        except (IntegrityError, OperationalError) as error:
            if attempt == STORE_ATTEMPTS or not lost_race(error):
                raise
    raise AssertionError("unreachable")


def lost_race(error: Exception) -> bool:
    """Whether a failed write lost a race with another transaction, so that trying again can succeed.

    A unique key taken meanwhile, a row referred to deleted meanwhile, or PostgreSQL's deadlock
    and serialization failures.
    """
    return isinstance(error, IntegrityError) or getattr(error.__cause__, "sqlstate", None) in ("40P01", "40001")


def _duplicate(name: str, existing: Article) -> IngestResult:
    return IngestResult(name, DUPLICATE, f"same text as article {existing.pk} ({existing.source})", existing)


def _article_create(prepared: PreparedArticle, source: str, actors: set[Actor]) -> Article:
    """Insert the article, its band keys and its actors and topics (inside the caller's transaction)."""
    parsed = prepared.parsed
    article = Article.objects.create(
        headline=parsed.headline,
        date=parsed.date,
        body=parsed.body,
        source=source,
        fingerprint=parsed.fingerprint,
        signature=pack_signature(prepared.signature),
        version_of_id=similar_original(prepared.signature),  # a syndicated or lightly edited copy
    )
    article_bands_store(article, prepared.signature)
    article_labels_apply(article, actors, prepared.extraction.topic_slugs, new=True)
    return article


def article_extract(article: Article, registry: ActorRegistry | None = None, *, new: bool = False) -> bool:
    """Set the article's actors and topics from its text and the editors' decisions; True if they changed.

    Extraction and the actors' lookups run first; the article's changes are one transaction.
    """
    extraction = text_extraction(article_text(article.headline, article.body), registry or actor_registry(), topic_rules())
    actors = set(actors_resolve(list(extraction.actors)))
    return article_labels_apply(article, actors, extraction.topic_slugs, new=new)


@transaction.atomic
def article_labels_apply(article: Article, found: set[Actor], topic_slugs: frozenset[str], *, new: bool = False) -> bool:
    """Give the article the actors and topics extraction found, as the editors' decisions amend them.

    new: the article was created in this transaction (ingest), so it has no decisions, actors
    or topics yet: the queries that would say so are skipped.
    """
    actors = _apply_decisions(set(found), () if new else article.articleactordecisions.select_related("actor"), "actor")
    topics = _apply_decisions(
        set(Topic.objects.filter(slug__in=topic_slugs)),
        () if new else article.articletopicdecisions.select_related("topic"),
        "topic",
    )
    if new:
        changed = bool(actors or topics)
        if changed:  # what set() does when the article has none yet, without asking which it has
            article.actors.add(*actors)
            article.topics.add(*topics)
        return changed
    changed = actors != set(article.actors.all()) or topics != set(article.topics.all())
    if changed:
        article.actors.set(actors)
        article.topics.set(topics)
    return changed


def _apply_decisions(found: set, decisions, field: str) -> set:
    """Add what editors added to the article and drop what they removed."""
    for decision in decisions:
        label = getattr(decision, field)
        if decision.included:
            found.add(label)
        else:
            found.discard(label)
    return found


def actor_registry() -> ActorRegistry:
    """Compile what editors know (actors, aliases, ruled-out names) for extraction."""
    known = [
        KnownActor(name=actor.name, kind=actor.kind, aliases=tuple(actor.alias_list))
        for actor in Actor.objects.only("name", "kind", "aliases")
    ]
    return ActorRegistry(known, NeverActor.objects.values_list("name", flat=True))


def actor_resolve(extracted: ExtractedActor) -> Actor:
    """Return the registry's actor for an extracted one: by name, slug or alias, else a new actor."""
    slug = slugify(extracted.name)[:200] or "actor"
    redirect = ActorRedirect.objects.filter(old_slug=slug).select_related("actor").first()
    actor = (
        Actor.objects.filter(name__iexact=extracted.name, kind=extracted.kind).first()
        or Actor.objects.filter(slug=slug).first()
        or (redirect and redirect.actor)  # merged away: the survivor stands for it
        or _actor_by_alias(extracted)
        or _actor_by_short_form(extracted)
    )
    return actor or _actor_create(extracted)


def actors_resolve(extracted_actors: list[ExtractedActor]) -> list[Actor]:
    """Return what actor_resolve returns for each extracted actor in turn, in a few queries for all of them.

    Looks a window of them up at once (name, slug, merged slug, alias: the same lookups in the same
    order of precedence). Creating an actor can change what a later one resolves to: those it
    may concern (the same name, slug or alias, a one-word name that may shorten it, an actor it
    absorbed) are looked up again at once, and one about to be created is looked up again first.
    Looking the whole window up again after each creation made a file naming 700 new actors take
    minutes.
    """
    resolved: list[Actor] = []
    for start in range(0, len(extracted_actors), LOOKUP_WINDOW):
        window = extracted_actors[start:start + LOOKUP_WINDOW]  # bounds the query
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
            resolved = [actor if actor.pk in alive else created for actor in resolved]  # absorbed into it
            later = [other for other in range(position + 1, len(window))
                     if (found[other] is not None and found[other].pk not in alive)
                     or _may_resolve_to(window[other], created)]
            for other, actor in zip(later, _actors_lookup([window[other] for other in later]) if later else []):
                found[other] = actor
            resolved.append(created)
    return resolved


def _may_resolve_to(extracted: ExtractedActor, actor: Actor) -> bool:
    """Whether a new actor may change what `extracted` resolves to (see actors_resolve)."""
    name = extracted.name.strip()
    return (slugify(extracted.name)[:200] or "actor") == actor.slug or (
        extracted.kind == actor.kind
        and (name.casefold() == actor.name.casefold()
             or name.casefold() in (alias.casefold() for alias in actor.alias_list)
             or " " not in name)
    )


def _actors_lookup(extracted_actors: list[ExtractedActor]) -> list[Actor | None]:
    """actor_resolve's lookups (without creating) for several extracted actors: None where none matches."""
    slugs = [slugify(extracted.name)[:200] or "actor" for extracted in extracted_actors]
    redirects = {
        redirect.old_slug: redirect.actor
        for redirect in ActorRedirect.objects.filter(old_slug__in=set(slugs)).select_related("actor")
    }
    # The database compares names (iexact) as actor_resolve's own query does: one flag per extracted actor.
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
        found[position] = found[position] or _actor_by_short_form(extracted_actors[position])
    return found


def _actors_by_alias(extracted_actors: list[ExtractedActor]) -> dict[int, Actor]:
    """_actor_by_alias for several extracted actors in one query: {position: actor} where one is found."""
    listed = {
        f"_listed_{position}": ExpressionWrapper(
            Q(kind=extracted.kind, aliases__icontains=extracted.name), output_field=BooleanField()
        )
        for position, extracted in enumerate(extracted_actors)
        if not (extracted.kind == ActorKind.PERSON and len(extracted.name.split()) < 2)  # see _actor_by_alias
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
    """OR the conditions (ExpressionWrapper(Q) objects) together as one Q."""
    return functools.reduce(operator.or_, (condition.expression for condition in conditions))


def _actor_create(extracted: ExtractedActor) -> Actor:
    """Create the actor for an extracted one that matched none (actor_resolve's last step).

    An actor known so far only by its short form ("Blair", from an article that said
    "Mr Blair") is merged into the new one when the new one is the only actor it can mean.
    Another process may create the same actor meanwhile (concurrent ingests): it is looked up
    again inside the transaction that would create it, which holds a lock on the name (on SQLite
    the write lock), so the look is final; should an insert still race another's, it fails on the
    slug, and the actor the other created is the one to use.
    """
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            with transaction.atomic():  # nested: a savepoint, so a lost race undoes this actor only
                _creation_lock(extracted)
                if (existing := _actors_lookup([extracted])[0]) is not None:
                    return existing  # created by another process since our lookup
                return _actor_insert(extracted)
        except IntegrityError:
            if (existing := _actors_lookup([extracted])[0]) is not None:
                return existing
            if attempt == STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _creation_lock(extracted: ExtractedActor) -> None:
    """On PostgreSQL, wait for any other transaction creating an actor of this kind and name to end.

    Without it, two ingests could both look, find nothing, and one take the slug "name-2" for the
    same person. (SQLite's write transactions already run one at a time.)
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{extracted.kind}:{extracted.name.strip().casefold()}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def _actor_insert(extracted: ExtractedActor) -> Actor:
    actor = Actor.objects.create(
        name=extracted.name,
        kind=extracted.kind,
        slug=_free_slug(slugify(extracted.name)[:200] or "actor"),
        aliases="\n".join(extracted.aliases),
    )
    for short in short_forms(actor.name, actor.kind):
        for short_actor in Actor.objects.filter(kind=actor.kind, name__iexact=short):
            if _actor_by_short_form(short_actor) == actor:
                actor = actor_merge(survivor=actor, merged=short_actor)
    return actor


def _actor_by_short_form(named: ExtractedActor | Actor) -> Actor | None:
    """Return the one actor whose name a one-word name shortens ("Blair" -> Tony Blair), else None."""
    word = named.name.strip()
    if " " in word or not word:
        return None
    stem = word[:-1] if word.endswith("s") else word  # "Conservatives" -> "Conservative Party"
    candidates = Actor.objects.filter(kind=named.kind).filter(
        Q(name__iendswith=f" {word}") | Q(name__icontains=f" {word} ") | Q(name__istartswith=f"{stem} ")
    )
    by_name: dict[str, list[Actor]] = {}
    for actor in candidates:
        by_name.setdefault(actor.name, []).append(actor)
    full = only_full_form(word, named.kind, by_name)
    return by_name[full][0] if full and len(by_name[full]) == 1 else None


def _free_slug(slug: str) -> str:
    """Return slug, or slug-2, slug-3 ... when taken (also by a merged actor's redirect)."""
    candidate, n = slug, 1
    while Actor.objects.filter(slug=candidate).exists() or ActorRedirect.objects.filter(old_slug=candidate).exists():
        n += 1
        candidate = f"{slug[:190]}-{n}"
    return candidate


def _actor_by_alias(extracted: ExtractedActor) -> Actor | None:
    """Find an actor of the same kind that lists the extracted name as an alias."""
    if extracted.kind == ActorKind.PERSON and len(extracted.name.split()) < 2:
        return None  # a bare surname ("Wang") is too weak to join an actor across articles
    wanted = extracted.name.casefold()
    for actor in Actor.objects.filter(kind=extracted.kind, aliases__icontains=extracted.name):
        if wanted in (alias.casefold() for alias in actor.alias_list):
            return actor
    return None


def topic_rules() -> list[TopicRule]:
    """Return the topic vocabulary as extraction rules, from the database (editors change it)."""
    return [TopicRule(slug=topic.slug, keywords=tuple(topic.keyword_list)) for topic in Topic.objects.all()]
