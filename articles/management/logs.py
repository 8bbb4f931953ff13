"""Management commands report on the terminal themselves: Newsdesk's log warnings are for server logs."""

import contextlib
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Keep Newsdesk's warnings (meant for server logs) off the terminal while the command reports."""
    logger = logging.getLogger("articles")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
