"""What ingest works out from an article's text before it opens a transaction (pure: no database).

Extraction of a large file takes seconds (a 2 MB file ~40 s); inside the store's transaction it
would hold SQLite's write lock all that time, and every other write (a login) would wait and fail.
So a file is read, extracted and signed first, and stored afterwards in a short transaction.

# article_prepare(parsed, registry, rules)
#   -> PreparedArticle(parsed, signature=(...), extraction=Extraction(actors=(Xi Jinping, China), topic_slugs={"diplomacy"}))
"""

import dataclasses

from .extraction import ActorRegistry, ExtractedActor, TopicRule, assign_topics, extract_actors
from .ingest import ParsedArticle
from .similarity import text_signature


@dataclasses.dataclass(frozen=True)
class Extraction:
    """The actors and topics found in one article's text, before the registry's actors are looked up."""

    actors: tuple[ExtractedActor, ...]
    topic_slugs: frozenset[str]


@dataclasses.dataclass(frozen=True)
class PreparedArticle:
    parsed: ParsedArticle
    signature: tuple[int, ...]  # MinHash of the body (articles.similarity), for near-duplicates
    extraction: Extraction


def article_text(headline: str, body: str) -> str:
    """The text extraction reads: headline, blank line, body (for a stored article and for a new one alike)."""
    return f"{headline}\n\n{body}"


def text_extraction(text: str, registry: ActorRegistry, rules: list[TopicRule]) -> Extraction:
    """Extract actors and topics from text with what editors know (registry) and the topic vocabulary (rules)."""
    return Extraction(actors=tuple(extract_actors(text, registry)), topic_slugs=frozenset(assign_topics(text, rules)))


def article_prepare(parsed: ParsedArticle, registry: ActorRegistry, rules: list[TopicRule]) -> PreparedArticle:
    """Everything storing the article needs from its text: signature and extraction."""
    return PreparedArticle(
        parsed=parsed,
        signature=text_signature(parsed.body),
        extraction=text_extraction(article_text(parsed.headline, parsed.body), registry, rules),
    )
