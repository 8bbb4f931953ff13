"""Logs without the secrets that are part of some addresses, and refused requests in one line.

A saved view's feed token and share token are the keys to it (/saved/feed/<token>/,
/shared/<token>/), an export job's token the key to its file (/exports/<token>/...): whoever
reads a log could read the view or the file. They are replaced by "…" in gunicorn's access log
(every logged value, the request line and the referrer included) and in the app's own log
records (Django names the path of a refused or missing page), also when the address came
percent-encoded ("/%73aved/feed/...": Django decodes it and serves the view).
"""

import logging
import re

from gunicorn.glogging import Logger

TOKEN_PREFIXES = ("/saved/feed/", "/shared/", "/exports/")


def _written_any_way(text: str) -> str:
    """A pattern for text as it is or with any of its characters percent-encoded (either case)."""
    return "".join(
        f"(?:{re.escape(character)}|%{ord(character):02x})" if character.isalnum() else re.escape(character)
        for character in text
    )


TOKEN_IN_PATH = re.compile(
    "(" + "|".join(_written_any_way(prefix) for prefix in TOKEN_PREFIXES) + r")[^/?#\s\"]+", re.IGNORECASE
)


def without_tokens(text: str) -> str:
    """'/saved/feed/Xy3…9/?q=1' -> '/saved/feed/…/?q=1'."""
    return TOKEN_IN_PATH.sub(r"\1…", text)


class TokenRedactingLogger(Logger):
    """gunicorn's logger (settings: gunicorn.conf.py's logger_class): its error log names paths too."""

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(TokenRedactingFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: without_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


class TokenRedactingFilter(logging.Filter):
    """A filter for the app's log handlers (settings.LOGGING): each record's message without tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = without_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RefusedRequestFilter(logging.Filter):
    """A request Django refuses as suspicious (too many fields, a bad Host header) is logged on one line:
    its traceback shows Django's own request parsing, nothing of the app (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.exc_info, record.exc_text = None, None
        return True
