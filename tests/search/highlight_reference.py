"""The snippets and marks of articles/search/highlight.py as they were before it was made fast (commit 9ea15fc).

Kept unchanged as the reference the fast version is tested against (test_highlight_fast.py):
every token through analyze(), every token through the fragmenter.

The original docstring:
Where a query matches a text: result snippets and the article page's marks, with the index's own analysis.

# query: sanction* "security council" -gas ; text: "The Security Council extended sanctions on gas."
#   -> matches: "Security Council" (one phrase), "sanctions" (prefix sanction*); "gas" is excluded, never marked
A phrase is marked where its words follow each other (stop words between them count as in the
index: "Power of Siberia" is the phrase "power siberia"); a word wherever its term occurs; a
prefix wherever a term starts with it. Every engine shows the same snippets.
"""

import dataclasses
from collections import deque
from collections.abc import Iterator

from django.utils.safestring import SafeString, mark_safe

from articles.search.analysis import Token, analyze
from articles.search.highlight import (  # unchanged by the fast version
    CHAR_LIMIT, FRAGMENT_CHARS, FRAGMENT_CONTEXT, SNIPPET_FRAGMENTS, Match, QueryTerms, _marked, best_passages,
)
from articles.search.query import ParsedQuery


def matches(text: str, looked_for: QueryTerms, char_limit: int | None = None) -> Iterator[tuple[Token | Match, bool]]:
    """Every token of text in order, as (token, False), with each match instead as (Match, True).

    A phrase match covers its words and any stop words between them.
    """
    tokens = list(analyze(text, keep_stopped=True))
    if char_limit is not None:
        tokens = [token for token in tokens if token.end <= char_limit]
    kept = [index for index, token in enumerate(tokens) if not token.stopped]
    term_at = [tokens[index].term for index in kept]
    skip_to = -1
    covered_from = {}
    for n, index in enumerate(kept):
        if n < skip_to:
            continue
        phrase = next((p for p in looked_for.phrases if tuple(term_at[n:n + len(p)]) == p), None)
        if phrase:
            last = kept[n + len(phrase) - 1]
            covered_from[index] = Match(tokens[index].start, tokens[last].end, " ".join(phrase)), last
            skip_to = n + len(phrase)
            continue
        term = term_at[n]
        if term in looked_for.words:
            covered_from[index] = Match(tokens[index].start, tokens[index].end, term), index
        elif prefix := looked_for.prefix_of(term):  # which terms a prefix matches: QueryTerms (shared)
            covered_from[index] = Match(tokens[index].start, tokens[index].end, prefix + "*"), index
    index = 0
    while index < len(tokens):
        if index in covered_from:
            match, last = covered_from[index]
            yield match, True
            index = last + 1
        else:
            yield tokens[index], False
            index += 1


def snippet(text: str, query: ParsedQuery, fragments: int = SNIPPET_FRAGMENTS) -> SafeString | None:
    """Escaped passages of text with the matches in <mark>, best first chosen, shown in text order; None without a match."""
    looked_for = QueryTerms.of(query)
    if not looked_for:
        return None
    return best_passages(text, list(_passages(text, matches(text, looked_for, CHAR_LIMIT))), fragments)


@dataclasses.dataclass
class _Passage:
    start: int
    end: int
    matches: list[Match]


def _passages(text: str, tokens: Iterator[tuple[Token | Match, bool]]) -> Iterator[_Passage]:
    """Whoosh's ContextFragmenter (maxchars 220, surround 60): each run of matches with context around it."""
    first, firsts, countdown, found, length, end = None, deque(), -1, [], 0, None
    for token, matched in tokens:
        start, end = token.start, token.end
        size = end - start
        if countdown < 0 and not matched:
            firsts.append(start)
            while firsts and end - firsts[0] > FRAGMENT_CONTEXT:
                firsts.popleft()
        elif length + size > FRAGMENT_CHARS:
            countdown = 0
        elif matched:
            countdown = FRAGMENT_CONTEXT
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += FRAGMENT_CONTEXT
            found.append(token)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                yield _Passage(first if first is not None else (found[0].start if found else 0), end, found)
                first, firsts, found, length = None, deque(), [], 0
    if found:
        yield _Passage(first if first is not None else found[0].start, end, found)


def mark_matches(paragraphs: list[str], query: ParsedQuery | None) -> tuple[list[SafeString], int]:
    """Escape each paragraph and wrap every match in <mark id="hit-N">; return them and the number of matches.

    A phrase counts once per occurrence: "Security Council" is one match, not two.
    """
    looked_for = QueryTerms.of(query) if query is not None else None
    marked, hits = [], 0
    for text in paragraphs:
        found = [token for token, matched in matches(text, looked_for) if matched] if looked_for else []
        marked.append(mark_safe(_marked(text, 0, len(text), found, iter(range(hits + 1, hits + len(found) + 1)))))
        hits += len(found)
    return marked, hits
