"""Template filters of the public pages."""

from django import template

from ..quoting import quoted as quoted_text

register = template.Library()


@register.filter
def quoted(text) -> str:
    """{{ filters.q|quoted }}: “gas”, and “Security Council” for "Security Council" (see articles.quoting)."""
    return quoted_text(text)
