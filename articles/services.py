"""Writes: ingest a file, (re)assign an article's actors and topics."""

import dataclasses
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .extraction import ExtractedActor, TopicRule, assign_topics, extract_actors
from .ingest import ArticleRefused, ParsedArticle, read_article
from .models import Actor, ActorKind, Article, Topic

INGESTED, DUPLICATE, REFUSED = "ingested", "duplicate", "refused"
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class IngestResult:
    name: str  # the file as the user named it
    status: str  # INGESTED | DUPLICATE | REFUSED
    reason: str = ""
    article: Article | None = None


def article_ingest(*, path: Path, name: str | None = None) -> IngestResult:
    """Store one article file with its actors and topics, or say why not; one transaction."""
    name = name or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return IngestResult(name, REFUSED, f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        raw = path.read_bytes()
    except OSError as error:
        return IngestResult(name, REFUSED, f"could not read the file ({error.strerror or error})")
    try:
        parsed = read_article(raw)
    except ArticleRefused as refusal:
        return IngestResult(name, REFUSED, refusal.reason)
    return _article_store(parsed, name=name, source=path.name)


def _article_store(parsed: ParsedArticle, *, name: str, source: str) -> IngestResult:
    """Create the article unless its text is already in the archive."""
    existing = Article.objects.filter(fingerprint=parsed.fingerprint).first()
    if existing:
        return IngestResult(name, DUPLICATE, f"same text as article {existing.pk} ({existing.source})", existing)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                headline=parsed.headline,
                date=parsed.date,
                body=parsed.body,
                source=source,
                fingerprint=parsed.fingerprint,
            )
            article_extract(article)
    except IntegrityError:
        # Another process stored the same text between our check and our insert.
        existing = Article.objects.get(fingerprint=parsed.fingerprint)
        return IngestResult(name, DUPLICATE, f"same text as article {existing.pk} ({existing.source})", existing)
    return IngestResult(name, INGESTED, "", article)


@transaction.atomic
def article_extract(article: Article) -> None:
    """Replace the article's actors and topics with what extraction finds in its text."""
    text = f"{article.headline}\n\n{article.body}"
    article.actors.set(actor_resolve(extracted) for extracted in extract_actors(text))
    slugs = assign_topics(text, topic_rules())
    article.topics.set(Topic.objects.filter(slug__in=slugs))


def actor_resolve(extracted: ExtractedActor) -> Actor:
    """Return the registry's actor for an extracted one: by slug, then by alias, else a new actor."""
    slug = slugify(extracted.name)[:200] or "actor"
    actor = Actor.objects.filter(slug=slug).first() or _actor_by_alias(extracted)
    if actor:
        return actor
    return Actor.objects.create(
        name=extracted.name,
        kind=extracted.kind,
        slug=slug,
        aliases="\n".join(extracted.aliases),
    )


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
