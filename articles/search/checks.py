"""`manage.py check` (and every start) says when the installed Whoosh no longer has what the engine reads."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def whoosh_internals_check(app_configs=None, **kwargs) -> list[Error]:
    if settings.SEARCH_ENGINE != "whoosh":
        return []
    from .engines.whoosh.private import private_use_problems

    return [
        Error(problem, hint="Pin Whoosh==2.7.4 (requirements.txt) or update articles/search/engines/whoosh/private.py.",
              id="newsdesk.E001")
        for problem in private_use_problems()
    ]
