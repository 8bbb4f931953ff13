"""Pure, offline extraction of actors and topics from article text (no database access)."""

from .actors import ExtractedActor, extract_actors
from .registry import ActorRegistry, KnownActor
from .topics import DEFAULT_TOPICS, TopicRule, assign_topics

__all__ = [
    "DEFAULT_TOPICS", "ActorRegistry", "ExtractedActor", "KnownActor", "TopicRule", "assign_topics",
    "extract_actors",
]
