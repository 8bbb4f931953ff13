"""Where a query matches a text: result snippets and the article page's marks, with the index's own analysis.

# query: sanction* "security council" -gas ; text: "The Security Council extended sanctions on gas."
#   -> matches: "Security Council" (one phrase), "sanctions" (prefix sanction*); "gas" is excluded, never marked
A phrase is marked where its words follow each other (stop words between them count as in the
index: "Power of Siberia" is the phrase "power siberia"); a word wherever its term occurs; a
prefix wherever a term starts with it or is one of the terms it matched in the index (Term.terms:
"negotiat*" marks "negotiations", term "negoti"). Every engine shows the same snippets.
"""

import dataclasses
import functools
import heapq
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import compress
from operator import methodcaller

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .analysis import TokenTable, fold, folds_in_place, prefix_text, term_at, terms, token_table, token_table_between
from .query import ParsedQuery

SNIPPET_FRAGMENTS = 2
FRAGMENT_CHARS = 220
FRAGMENT_CONTEXT = 60
CHAR_LIMIT = 2**15  # snippets come from the first 32 KB of a text (as Whoosh's highlighter)


@dataclasses.dataclass(frozen=True)
class QueryTerms:
    """What a query looks for, as index terms: single terms, prefixes, phrases (runs of terms)."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    # The index terms a prefix matches beyond those starting with it (Term.terms): "negoti" -> "negotiat"
    prefix_terms: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    @functools.lru_cache(maxsize=256)  # a page asks once per result row
    def of(cls, query: ParsedQuery) -> "QueryTerms":
        words, prefixes, phrases, prefix_terms = set(), [], [], {}
        for clause in query.clauses:
            for term in clause:
                if term.negated:
                    continue
                if term.prefix:
                    prefixes.append(prefix_text(term.text))
                    for found in term.terms:
                        prefix_terms.setdefault(found, prefixes[-1])
                elif term.phrase and len(found := terms(term.text)) > 1:
                    phrases.append(tuple(found))
                else:
                    words.update(terms(term.text))
        return cls(frozenset(words), tuple(prefixes), tuple(sorted(set(phrases), key=len, reverse=True)), prefix_terms)

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.phrases)

    @functools.cached_property
    def firsts(self) -> frozenset[str]:
        """The terms that start a word's or a phrase's match (a prefix's are tested with prefix_of)."""
        return self.words | {phrase[0] for phrase in self.phrases}

    def prefix_of(self, term: str) -> str | None:
        """The prefix matching a term: the first it starts with, or one that matches it in the index."""
        return next((p for p in self.prefixes if term.startswith(p)), None) or self.prefix_terms.get(term)


TABLES_KEPT = 512  # ~12 KB each: 25 pages of results


@functools.lru_cache(maxsize=TABLES_KEPT)
def tokens_of(text: str) -> TokenTable:
    """token_table(text), kept for the texts seen last: an article is often in the results again (the
    next page, another query); its text is compared whole, so an edited article is analysed anew."""
    table = token_table(text)
    return TokenTable(table.terms, array("i", table.starts), array("i", table.ends))  # compact: no int objects


@dataclasses.dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    key: str  # what matched: a term, a prefix or a phrase, for counting distinct matches


def match_spans(table: TokenTable, looked_for: QueryTerms, count: int) -> list[tuple[int, int, str]]:
    """(first token, last token, key) of every match among the table's first `count` tokens, in text order.

    A phrase match covers its words and any stop words between them; a term is matched at
    most once (the longest phrase starting there wins, then a word, then a prefix).
    """
    kept = list(compress(range(count), table.terms[:count]))  # indices of the tokens that are terms
    kept_terms = [table.terms[index] for index in kept]
    # Only terms that can start a match are looked at; most terms of a text start none.
    candidates = compress(range(len(kept_terms)), map(looked_for.firsts.__contains__, kept_terms))
    if looked_for.prefixes:
        prefixed = compress(range(len(kept_terms)), map(methodcaller("startswith", looked_for.prefixes), kept_terms))
        candidates = set(candidates).union(prefixed)
        if looked_for.prefix_terms:
            candidates.update(compress(range(len(kept_terms)), map(looked_for.prefix_terms.__contains__, kept_terms)))
        candidates = sorted(candidates)
    found, skip_to = [], -1
    for n in candidates:
        if n < skip_to:
            continue
        phrase = next((p for p in looked_for.phrases if tuple(kept_terms[n:n + len(p)]) == p), None)
        if phrase:
            found.append((kept[n], kept[n + len(phrase) - 1], " ".join(phrase)))
            skip_to = n + len(phrase)
            continue
        term = kept_terms[n]
        if term in looked_for.words:
            found.append((kept[n], kept[n], term))
        elif prefix := looked_for.prefix_of(term):
            found.append((kept[n], kept[n], prefix + "*"))
    return found


def snippet(text: str, query: ParsedQuery, fragments: int = SNIPPET_FRAGMENTS) -> SafeString | None:
    """Escaped passages of text with the matches in <mark>, best first chosen, shown in text order; None without a match."""
    looked_for = QueryTerms.of(query)
    if not looked_for:
        return None
    table = _snippet_tokens(text, query)
    count = bisect_right(table.ends, CHAR_LIMIT)
    return best_passages(text, _passages(table, count, match_spans(table, looked_for, count)), fragments)


@functools.lru_cache(maxsize=TABLES_KEPT)
def _snippet_tokens(text: str, query: ParsedQuery) -> TokenTable:
    """The tokens a snippet of text needs: those around where the query may match, else all of them."""
    return tokens_around_matches(text, QueryTerms.of(query)) or tokens_of(text)


_STEM_SLACK = 2  # a word starts with its Porter stem but for the stem's last letter ("happi" <- "happy"); one more for safety
# First guesses of the text a match needs: a little more than a passage reads (its context before, two contexts
# after). Twice as wide, a new worker's first page tokenised ~25% more text; a window found short doubles.
BEFORE_CHARS, AFTER_CHARS = FRAGMENT_CONTEXT + 20, 3 * FRAGMENT_CONTEXT


def tokens_around_matches(text: str, looked_for: QueryTerms) -> TokenTable | None:
    """The tokens of text around every place a match of looked_for may start: what _passages() and
    match_spans() read there, so the snippet is the one the whole text gives. None: use every token.

    A result's first view tokenised its whole text (~0.2 ms for 3.7 KB; a page of 20 rows ~4 ms) to
    mark a word found once or twice. Here a plain text search finds where a word may start whose
    term could match (the term less its last _STEM_SLACK letters begins the word: "sanction" <-
    "sanctioned", "happi" <- "happy"), and only the text around those places is tokenised. Around
    each, the tokens must reach back past the context a passage takes before a match, and on past a
    phrase's last word to where a passage must have ended; when they do not (long gaps, long words),
    the window doubles. Texts whose folding moves offsets get every token.
    """
    if not folds_in_place(text):
        return None
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        return None
    needles = _needles(looked_for)
    if not needles:
        return None
    # Where a word starts (not after a word character), every occurrence, overlapping ones too.
    starts = sorted({position for needle in needles for position in _occurrences(lowered, needle, CHAR_LIMIT)
                     if position == 0 or not (lowered[position - 1].isalnum() or lowered[position - 1] == "_")})
    starts = _may_start_a_match(folded, starts, looked_for)
    if not starts:
        return TokenTable([], [], [])
    phrase_terms = max((len(phrase) for phrase in looked_for.phrases), default=1)
    before, after = BEFORE_CHARS, AFTER_CHARS
    while True:
        windows = _windows(lowered, starts, before, after)
        tables = [token_table_between(folded, start, end) for start, end in windows]
        if all(_enough_around(table, lowered, start, end, starts, phrase_terms) for (start, end), table in zip(windows, tables)):
            break  # at the latest when one window is the whole text
        before, after = 2 * before, 2 * after
    return TokenTable([term for table in tables for term in table.terms],
                      array("i", [n for table in tables for n in table.starts]),
                      array("i", [n for table in tables for n in table.ends]))


def _may_start_a_match(folded: str, starts: list[int], looked_for: QueryTerms) -> list[int]:
    """The starts whose word has a term that can begin a match: a word, a phrase's first word, a prefix's.

    The needles are short ("pre" for "press", so that every form of the word is found) and also find
    "president", "previous", ...: a phrase of common words opened a window around most of the text.
    A start inside a word that the tokenizer began earlier ("S" of "U.S") reads as a word of its own
    here; dropping it loses nothing, as a match there starts where that word starts, a start too.
    """
    return [position for position in starts
            if (term := term_at(folded, position)) and (term in looked_for.firsts or looked_for.prefix_of(term))]


def _needles(looked_for: QueryTerms) -> set[str]:
    """Beginnings of every word that can start a match: of words, phrases' first words, prefixes, prefix terms."""
    stems = looked_for.firsts | set(looked_for.prefix_terms) | set(looked_for.prefixes)
    return {stem[:max(len(stem) - _STEM_SLACK, 1)] for stem in stems if stem}


def _occurrences(text: str, needle: str, end: int) -> Iterator[int]:
    position = text.find(needle, 0, end)
    while position >= 0:
        yield position
        position = text.find(needle, position + 1, end)


def _windows(lowered: str, starts: list[int], before: int, after: int) -> list[tuple[int, int]]:
    """The stretches of text from `before` characters ahead of each start to `after` past it, joined where they
    meet, widened to whitespace so that no word is cut."""
    windows = []
    for position in starts:
        start = max(lowered.rfind(" ", 0, max(position - before, 0)), lowered.rfind("\n", 0, max(position - before, 0))) + 1
        end = min((found for found in (lowered.find(" ", position + after), lowered.find("\n", position + after)) if found >= 0),
                  default=len(lowered))
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def _enough_around(table: TokenTable, lowered: str, start: int, end: int, starts: list[int], phrase_terms: int) -> bool:
    """Whether the window's tokens hold all that a match at each of its starts reads.

    Before: the token ahead of the match and every token starting within FRAGMENT_CONTEXT characters
    of its end (the passage's context). After: the phrase's remaining terms, then tokens adding up to
    the longest countdown a passage makes (2 * FRAGMENT_CONTEXT characters of tokens), and one more.
    """
    inside = [position for position in starts if start <= position < end]
    if start > 0:
        first = bisect_left(table.starts, inside[0])  # the token a match there starts with
        if first < 1 or table.ends[first - 1] - FRAGMENT_CONTEXT < start:
            return False
    if end < len(lowered):
        index = bisect_left(table.ends, inside[-1] + 1)  # the token holding or following the last start
        terms_left = phrase_terms
        while index < len(table.terms) and terms_left:
            terms_left -= bool(table.terms[index])
            index += 1
        budget = 2 * FRAGMENT_CONTEXT
        while index < len(table.terms) and budget > 0:
            budget -= table.ends[index] - table.starts[index]
            index += 1
        if budget > 0 or index >= len(table.terms):
            return False
    return True


def best_passages(text: str, passages: list["_Passage"], fragments: int) -> SafeString | None:
    """The best `fragments` passages, marked, in text order; None without any."""
    if not passages:
        return None
    # Whoosh's scoring: matches, times 100 per distinct match; earlier passages first among equals.
    best = heapq.nlargest(fragments, passages, key=lambda p: (len(p.matches) * (len({m.key for m in p.matches}) * 100), -p.start))
    best.sort(key=lambda passage: passage.start)
    return mark_safe(" … ".join(_marked(text, passage.start, passage.end, passage.matches) for passage in best))


@dataclasses.dataclass
class _Passage:
    start: int
    end: int
    matches: list[Match]


def _passages(table: TokenTable, count: int, spans: list[tuple[int, int, str]]) -> list[_Passage]:
    """Whoosh's ContextFragmenter (maxchars 220, surround 60): each run of matches with context around it.

    It walks the tokens (a match counts as one token from its first to its last) keeping,
    between passages, the starts of the tokens within FRAGMENT_CONTEXT characters of the
    last one ("firsts"); a match opens a passage there, which closes once FRAGMENT_CONTEXT
    characters of tokens follow the last match. Between passages only the next match
    matters: the walk jumps to it and finds where the kept starts begin by bisection.
    """
    starts, ends = table.starts, table.ends
    span_at = {first: (last, key) for first, last, key in spans}
    span_firsts = [first for first, _, _ in spans]
    passages, first, countdown, found, length, end = [], None, -1, [], 0, None
    since = index = 0  # since: the first token after the last passage, where firsts starts again
    while index < count:
        context_start = None
        if countdown < 0:  # between passages: the next token that changes anything is the next match
            following = bisect_left(span_firsts, index)
            if following == len(span_firsts):
                break
            index = span_firsts[following]
            if index > since:
                kept = bisect_left(starts, ends[index - 1] - FRAGMENT_CONTEXT, since, index)
                context_start = starts[kept] if kept < index else None
        last, key = span_at.get(index, (index, None))
        start, end = starts[index], ends[last]
        size = end - start
        if length + size > FRAGMENT_CHARS:
            countdown = 0
        elif key is not None:
            countdown = FRAGMENT_CONTEXT
            if first is None:
                if context_start is not None:
                    first = context_start
                else:
                    first = start
                    countdown += FRAGMENT_CONTEXT
            found.append(Match(start, end, key))
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                passages.append(_Passage(first if first is not None else (found[0].start if found else 0), end, found))
                first, found, length, since = None, [], 0, last + 1
        index = last + 1
    if found:
        passages.append(_Passage(first if first is not None else found[0].start, end, found))
    return passages


def _marked(text: str, start: int, end: int, found: list[Match], hit_ids: Iterator[int] | None = None) -> str:
    pieces, position = [], start
    for match in found:
        if match.start < position:
            continue
        pieces.append(escape(text[position:match.start]))
        if hit_ids is None:
            pieces.append(format_html("<mark>{}</mark>", text[match.start:match.end]))
        else:
            pieces.append(format_html('<mark id="hit-{}">{}</mark>', next(hit_ids), text[match.start:match.end]))
        position = match.end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


def mark_matches(paragraphs: list[str], query: ParsedQuery | None) -> tuple[list[SafeString], int]:
    """Escape each paragraph and wrap every match in <mark id="hit-N">; return them and the number of matches.

    A phrase counts once per occurrence: "Security Council" is one match, not two.
    """
    looked_for = QueryTerms.of(query) if query is not None else None
    marked, hits = [], 0
    for text in paragraphs:
        found = []
        if looked_for:
            table = tokens_of(text)
            found = [Match(table.starts[first], table.ends[last], key)
                     for first, last, key in match_spans(table, looked_for, len(table.terms))]
        marked.append(mark_safe(_marked(text, 0, len(text), found, iter(range(hits + 1, hits + len(found) + 1)))))
        hits += len(found)
    return marked, hits
