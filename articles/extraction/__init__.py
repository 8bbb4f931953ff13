"""Pure, offline extraction of actors and topics from article text (no database access)."""

from .actors import ExtractedActor, extract_actors
from .topics import DEFAULT_TOPICS, TopicRule, assign_topics

__all__ = ["DEFAULT_TOPICS", "ExtractedActor", "TopicRule", "assign_topics", "extract_actors"]
