"""Template filters of the public pages."""

import datetime

from django import template

from newsdesk import signin

from ..quoting import quoted as quoted_text
from ..restore import RESTORE_DAYS

register = template.Library()


@register.filter
def quoted(text) -> str:
    """{{ filters.q|quoted }}: “gas”, and “Security Council” for "Security Council" (see articles.quoting)."""
    return quoted_text(text)


@register.simple_tag
def restore_days() -> int:
    """{% restore_days as days %}: how long a deleted article can be restored (articles.restore)."""
    return RESTORE_DAYS


@register.filter
def duration_words(duration: datetime.timedelta) -> str:
    """{{ cooloff_timedelta|duration_words }}: "15 minutes", "1 hour" (newsdesk.signin)."""
    return signin.duration_words(duration)
