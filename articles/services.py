"""Writes: ingest a file, (re)assign an article's actors and topics."""

import dataclasses
from collections.abc import Callable
from pathlib import Path

from django.db import IntegrityError, OperationalError, transaction

from .extraction import ActorRegistry, TopicRule
from .history import creation_recorded
from .ingest import ArticleRefused, ParsedArticle, read_article
from .models import Actor, Article, Topic
from .prepare import PreparedArticle, article_prepare, article_text, text_extraction
from .resolve import LOOKUP_WINDOW, STORE_ATTEMPTS, actor_registry, actors_resolve
from .similarity import pack_signature
from .versions import article_bands_store, similar_original

INGESTED, DUPLICATE, REFUSED = "ingested", "duplicate", "refused"
MAX_FILE_BYTES = 5 * 1024 * 1024


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
    parsed = article_read(path, name=name, max_bytes=max_bytes)
    if isinstance(parsed, IngestResult):
        return parsed
    if existing := article_stored(parsed.fingerprint):
        return existing_result(name, existing)  # before extraction: a re-run of a large batch costs little
    prepared = article_prepare(parsed, registry or actor_registry(), topic_rules())
    return article_store(prepared, name=name, source=path.name, on_stored=on_stored)


def article_read(path: Path, *, name: str, max_bytes: int = MAX_FILE_BYTES) -> ParsedArticle | IngestResult:
    """Read and parse an article file (no database), or say why it is refused."""
    try:
        if path.stat().st_size > max_bytes:
            return IngestResult(name, REFUSED, f"the file is larger than {size_text(max_bytes)}")
        raw = path.read_bytes()
    except OSError as error:
        return IngestResult(name, REFUSED, f"could not read the file ({error.strerror or error})")
    try:
        return read_article(raw)
    except ArticleRefused as refusal:
        return IngestResult(name, REFUSED, refusal.reason)


def article_stored(fingerprint: str) -> Article | None:
    """The archive's article with this text (its fingerprint), if any."""
    return Article.objects.filter(fingerprint=fingerprint).first()


def size_text(size: int) -> str:
    """Say a size limit in whole units: 5242880 -> "5 MB", 524288 -> "512 KB"."""
    return f"{size // 2**20} MB" if size % 2**20 == 0 else f"{size // 2**10} KB"


def article_store(
    prepared: PreparedArticle, *, name: str, source: str, on_stored: Callable[[IngestResult], None] | None = None
) -> IngestResult:
    """Create the article in one short transaction unless its text is already in the archive.

    An article naming up to LOOKUP_WINDOW actors has them looked up, and its new ones created,
    inside that transaction: one commit for the file. One naming more (a file naming thousands
    of new actors) has them resolved first, each new one in a transaction of its own, so the
    article's transaction only inserts rows. Another process may store the same text, or create
    or merge one of its actors, between our lookups and our inserts (PostgreSQL lets them run at
    once): the insert then fails, the transaction rolls back, and the store is tried again from
    the lookups, which now see the other process's rows.
    """
    extracted = list(prepared.extraction.actors)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        if existing := article_stored(prepared.parsed.fingerprint):
            return existing_result(name, existing)
        actors = None if len(extracted) <= LOOKUP_WINDOW else set(actors_resolve(extracted))
        try:
            with transaction.atomic():
                if actors is None:
                    actors = set(actors_resolve(extracted))  # new actors: savepoints of this transaction
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


def existing_result(name: str, existing: Article) -> IngestResult:
    """The result of a file whose text the archive holds already."""
    return IngestResult(name, DUPLICATE, f"same text as article {existing.pk} ({existing.source})", existing)


def _article_create(prepared: PreparedArticle, source: str, actors: set[Actor]) -> Article:
    """Insert the article, its band keys and its actors and topics (inside the caller's transaction).

    A new article has no decisions, actors or topics yet: its links are inserted in bulk, and its
    history gets its creation record once they are (history.creation_recorded), the record that
    saving it and then adding its actors and topics leaves after writing it three times.
    """
    article = Article(**article_fields(prepared, source))
    article.save_without_historical_record(force_insert=True)  # queues its index document
    article_bands_store(article, prepared.signature)
    topics = Topic.objects.filter(slug__in=prepared.extraction.topic_slugs)
    links = {}
    for field, labels in (("actors", actors), ("topics", topics)):
        through = getattr(Article, field).through
        label_field = field[:-1]  # through.actor, through.topic
        links[field] = through.objects.bulk_create(
            [through(article=article, **{label_field: label}) for label in sorted(labels, key=lambda label: label.pk)])
    creation_recorded(article, links)
    return article


def article_fields(prepared: PreparedArticle, source: str) -> dict:
    """The new article's fields, from its text (and the original it is a similar version of)."""
    parsed = prepared.parsed
    return {
        "headline": parsed.headline,
        "date": parsed.date,
        "body": parsed.body,
        "source": source,
        "fingerprint": parsed.fingerprint,
        "signature": pack_signature(prepared.signature),
        "version_of_id": similar_original(prepared.signature),  # a syndicated or lightly edited copy
    }


def article_extract(article: Article, registry: ActorRegistry | None = None) -> bool:
    """Set the article's actors and topics from its text and the editors' decisions; True if they changed.

    Extraction and the actors' lookups run first; the article's changes are one transaction.
    """
    extraction = text_extraction(article_text(article.headline, article.body), registry or actor_registry(), topic_rules())
    actors = set(actors_resolve(list(extraction.actors)))
    return article_labels_apply(article, actors, extraction.topic_slugs)


@transaction.atomic
def article_labels_apply(article: Article, found: set[Actor], topic_slugs: frozenset[str]) -> bool:
    """Give the article the actors and topics extraction found, as the editors' decisions amend them."""
    actors = _apply_decisions(set(found), article.articleactordecisions.select_related("actor"), "actor")
    topics = _apply_decisions(
        set(Topic.objects.filter(slug__in=topic_slugs)), article.articletopicdecisions.select_related("topic"), "topic")
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


def topic_rules() -> list[TopicRule]:
    """Return the topic vocabulary as extraction rules, from the database (editors change it)."""
    return [TopicRule(slug=topic.slug, keywords=tuple(topic.keyword_list)) for topic in Topic.objects.all()]
