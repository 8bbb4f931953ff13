"""The result type of every peer: one page as the app would show it."""

import dataclasses


@dataclasses.dataclass
class Page:
    """What every peer computes for a search or label page."""

    count: int
    ids: list[int]  # this page's articles, in order
    rows: list[tuple]  # (id, headline, date, source) of each
    snippets: dict[int, str]  # id -> highlighted fragments (text queries)
    labels: dict[int, list[tuple]]  # id -> [(name, kind, slug)] of its actors and topics
    facets: dict[str, dict[str, int]]  # actors / topics / months over all matches
    suggestion: list[str] | None = None  # "did you mean", computed when nothing matches
