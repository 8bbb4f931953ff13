"""gunicorn's access log without the secrets that are part of some addresses.

A saved view's feed token and share token are the keys to it (/saved/feed/<token>/,
/shared/<token>/): whoever reads the log could read the view. They are replaced by "…" in
every logged value, the request line and the referrer included.
"""

import re

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/saved/feed/|/shared/)[^/?#\s\"]+")


def without_tokens(text: str) -> str:
    """'/saved/feed/Xy3…9/?q=1' -> '/saved/feed/…/?q=1'."""
    return TOKEN_IN_PATH.sub(r"\1…", text)


class TokenRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: without_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
