"""Which of the registry's actors an extracted name stands for: looked up by name, slug, merged slug, alias or short form, else created.

Writes: a new actor is created (and an actor known so far only by its short form merged into it)
in a transaction of its own, or in a savepoint of the caller's (articles.services.article_store).

# actors_resolve([ExtractedActor("Sergei Lavrov", "person"), ExtractedActor("Kari Halvorsen", "person")])
#   -> [<Actor sergei-lavrov>, <Actor kari-halvorsen (new)>]
"""

import hashlib

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.utils.text import slugify

from .curation import actor_merge
from .extraction import ActorRegistry, ExtractedActor, KnownActor
from .extraction.short_forms import only_full_form, short_forms
from .models import Actor, ActorKind, ActorRedirect, NeverActor

LOOKUP_WINDOW = 50  # extracted actors looked up in one query (actors_resolve)
STORE_ATTEMPTS = 3  # an insert that lost a race with another process is tried again (article_store, _actor_create)


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
        Actor.objects.filter(named(extracted.name), kind=extracted.kind).first()
        or Actor.objects.filter(slug=slug).first()
        or (redirect and redirect.actor)  # merged away: the survivor stands for it
        or _actor_by_alias(extracted)
        or _actor_by_short_form(extracted)
    )
    return actor or _actor_create(extracted)[0]


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
            created, absorbed = _actor_create(extracted)
            created_since_lookup = True
            known = [actor.pk for actor in resolved + found[position + 1:] if actor is not None]
            alive = set(known) - absorbed
            resolved = [actor if actor.pk in alive else created for actor in resolved]  # absorbed into it
            later = [other for other in range(position + 1, len(window))
                     if (found[other] is not None and found[other].pk not in alive)
                     or _may_resolve_to(window[other], created)]
            for other, actor in zip(later, _actors_lookup([window[other] for other in later]) if later else []):
                found[other] = actor
            resolved.append(created)
    return resolved


def named(name: str) -> Q:
    """Actors called `name` in any case: what name__iexact finds, as UPPER(name) = UPPER(%s), which the
    actor_name_upper index serves (iexact is that on PostgreSQL; on SQLite it is a LIKE, which no
    index serves, and which also folds ASCII letters only, as SQLite's UPPER does)."""
    return Q(Exact(Upper("name"), Upper(Value(name))))


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
    # The database compares names (as iexact) as actor_resolve's own query does: one flag per extracted actor.
    distinct_slugs = sorted(set(slugs))
    candidates = _actors_flagged(
        [(_named_sql(), [extracted.name, extracted.kind]) for extracted in extracted_actors],
        (f"{_column('slug')} IN ({', '.join(['%s'] * len(distinct_slugs))})", distinct_slugs),
    )
    by_slug = {actor.slug: actor for actor in candidates}
    found = []
    for position, (extracted, slug) in enumerate(zip(extracted_actors, slugs)):
        found.append(
            next((actor for actor in candidates if actor.flags[position]), None)
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
    listed = [
        (position, extracted) for position, extracted in enumerate(extracted_actors)
        if not (extracted.kind == ActorKind.PERSON and len(extracted.name.split()) < 2)  # see _actor_by_alias
    ]
    if not listed:
        return {}
    candidates = _actors_flagged(
        [(_listed_sql(), [extracted.kind, f"%{connection.ops.prep_for_like_query(extracted.name)}%"])
         for _, extracted in listed]
    )
    found = {}
    for flag, (position, extracted) in enumerate(listed):
        wanted = extracted.name.casefold()
        for actor in candidates:
            if actor.flags[flag] and wanted in (alias.casefold() for alias in actor.alias_list):
                found[position] = actor
                break
    return found


# The lookups above ask for up to LOOKUP_WINDOW conditions at once, for every article stored. Written with
# the ORM (a Q and an annotation per condition) compiling the query cost ~10 ms an article, ten times
# running it; so they are written here as the ORM writes each condition, with the database's own operators.
def _column(name: str) -> str:
    return f"{connection.ops.quote_name(Actor._meta.db_table)}.{connection.ops.quote_name(name)}"


def _named_sql() -> str:
    """named(name) & Q(kind=kind), parameters (name, kind)."""
    return f"(UPPER({_column('name')}) = UPPER(%s) AND {_column('kind')} = %s)"


def _listed_sql() -> str:
    """Q(kind=kind, aliases__icontains=name), parameters (kind, "%name%" escaped for LIKE)."""
    aliases = connection.ops.lookup_cast("icontains", "TextField") % _column("aliases")
    return f"({_column('kind')} = %s AND {aliases} {connection.operators['icontains'] % '%s'})"


def _actors_flagged(conditions: list[tuple[str, list]], also: tuple[str, list] | None = None) -> list[Actor]:
    """Actors meeting any condition (SQL, parameters), or `also`, ordered by name then id; each with
    `flags`: whether it meets each condition, in order."""
    columns = ", ".join(_column(field.column) for field in Actor._meta.concrete_fields)
    flags = ", ".join(f"{sql} AS flag_{n}" for n, (sql, _) in enumerate(conditions))
    where = [sql for sql, _ in conditions] + ([also[0]] if also else [])
    params = [p for _, condition_params in conditions for p in condition_params] * 2 + (list(also[1]) if also else [])
    actors = list(Actor.objects.raw(
        f"SELECT {columns}, {flags} FROM {connection.ops.quote_name(Actor._meta.db_table)} "
        f"WHERE {' OR '.join(where)} ORDER BY {_column('name')} ASC, {_column('id')} ASC",
        params,
    ))
    for actor in actors:
        actor.flags = [bool(getattr(actor, f"flag_{n}")) for n in range(len(conditions))]
    return actors


def _actor_create(extracted: ExtractedActor) -> tuple[Actor, set[int]]:
    """Create the actor for an extracted one that the caller's lookup matched to none (actor_resolve's
    last step); return it and the ids of the actors merged into it.

    An actor known so far only by its short form ("Blair", from an article that said
    "Mr Blair") is merged into the new one when the new one is the only actor it can mean.
    Another process may create the same actor meanwhile (concurrent ingests): it is looked up
    again inside the transaction that would create it, which holds a lock on the name (on SQLite
    the write lock), so the look is final; should an insert still race another's, it fails on the
    slug, and the actor the other created is the one to use. When the caller looked inside a
    transaction on SQLite (ingest's store), the write lock was held already: its look was final.
    """
    look_again = not _write_lock_held()
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            with transaction.atomic():  # nested: a savepoint, so a lost race undoes this actor only
                _creation_lock(extracted)
                if look_again and (existing := _actors_lookup([extracted])[0]) is not None:
                    return existing, set()  # created by another process since our lookup
                return _actor_insert(extracted)
        except IntegrityError:
            if (existing := _actors_lookup([extracted])[0]) is not None:
                return existing, set()
            if attempt == STORE_ATTEMPTS:
                raise
            look_again = True
    raise AssertionError("unreachable")


def _write_lock_held() -> bool:
    """Whether this connection is in a transaction that holds SQLite's write lock (begun IMMEDIATE, as settings say):
    no other process can have written since it began."""
    return (connection.vendor == "sqlite" and connection.in_atomic_block
            and connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") == "IMMEDIATE")


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


def _actor_insert(extracted: ExtractedActor) -> tuple[Actor, set[int]]:
    actor = Actor.objects.create(
        name=extracted.name,
        kind=extracted.kind,
        slug=_free_slug(slugify(extracted.name)[:200] or "actor"),
        aliases="\n".join(extracted.aliases),
    )
    absorbed = set()
    for short in short_forms(actor.name, actor.kind):
        for short_actor in Actor.objects.filter(named(short), kind=actor.kind):
            if _actor_by_short_form(short_actor) == actor:
                absorbed.add(short_actor.pk)
                actor = actor_merge(survivor=actor, merged=short_actor)
    return actor, absorbed


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
