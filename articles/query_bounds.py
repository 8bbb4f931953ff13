"""Bound the work one query may ask of the engine: terms, words ending in *, phrase length, stacked accents.

Every term is one more posting list to match; a prefix ("mi*") is a union of every indexed
word it begins; a long phrase decodes positions for each of its words. A query over the
bounds is searched for its first terms within them, with a notice; what is left is written
back as query text, so the page, its links and a saved view all show what was searched:

# "a b a b a b …" (70 pairs)                    -> "a b"                 repeats searched once
# "min* gov* rou* … (15 words ending in *)"       -> "min* gov* rou* fin*" the first MAX_PREFIXES
# "mi* talks"                                     -> "mi talks"            too short a prefix: a word
# "gas" + 30 more words                           -> the first MAX_TERMS terms
# "a" + 100 combining accents                     -> "a" + MAX_STACKED_MARKS accents
# "com* res* int* pre*" at 100k articles          -> "com* res* int* pre" the prefixes' postings over budget
"""

import dataclasses
import unicodedata

from .search.analysis import prefix_text
from .search.engines import engine
from .search.engines.base import SearchUnavailable
from .search.query import ParsedQuery, Term, read_query

MAX_TERMS = 12
# A prefix is a union of every indexed word it begins: "con*" is hundreds of words over nearly every
# article. Matched from postings arrays, four of the commonest ("con* pro* sta* gov*") cost 0.11 s of
# CPU at 10k articles, fifteen 0.3-0.45 s; four leave room for "sanction* OR embargo* OR boycott*".
MAX_PREFIXES = 4
# What counts is how often the words a prefix begins occur: matching reads each of their postings (~3 µs
# each the first time at 100k articles on a 2-core machine: "res* rep* dis* tra*" took 1.1 s of CPU).
# Beyond this many postings for all the prefixes of a request (a compare view's series together), a prefix
# is searched as a word.
MAX_PREFIX_POSTINGS = 300_000
MIN_PREFIX_LETTERS = 3
MAX_PHRASE_WORDS = 8
MAX_WORD_LENGTH = 50
MAX_STACKED_MARKS = 2  # combining marks kept on one letter ("ệ" has two); more is decoration or an attack


@dataclasses.dataclass(frozen=True)
class BoundedQuery:
    q: str
    notices: tuple[str, ...] = ()


@dataclasses.dataclass
class PrefixBudget:
    """The postings the prefixes of one request may still read (a compare view's series share one)."""

    left: int = dataclasses.field(default_factory=lambda: MAX_PREFIX_POSTINGS)

    def take(self, term: Term) -> bool:
        """Whether the prefix fits in what is left (then it is taken from it)."""
        try:
            cost = engine().prefix_postings(term.field, prefix_text(term.text))
        except SearchUnavailable:
            return True  # the search itself will say the engine is unavailable
        if cost > self.left:
            return False
        self.left -= cost
        return True


def query_bound(q: str, budget: PrefixBudget | None = None) -> BoundedQuery:
    """q itself when within every bound, else the part of it that is, and notices saying what was left out."""
    notices = []
    unstacked = _without_stacked_marks(q)
    if unstacked != q:
        notices.append(f"Accents stacked more than {MAX_STACKED_MARKS} deep on a letter were left out.")
        q = unstacked
    parsed, _ = read_query(q)
    kept, cuts = _bounded(parsed, PrefixBudget() if budget is None else budget)
    if not cuts:
        return BoundedQuery(q, tuple(notices))
    return BoundedQuery(query_text(kept), tuple(notices + [_CUT_NOTICES[cut] for cut in _CUT_NOTICES if cut in cuts]))


_CUT_NOTICES = {
    "repeat": "Words given more than once were searched once.",
    "terms": f"The query was searched for its first {MAX_TERMS} terms: a search can hold no more.",
    "prefixes": f"Only the first {MAX_PREFIXES} words ending in * were searched; the others were left out.",
    "short prefix": f"A word ending in * needs {MIN_PREFIX_LETTERS} letters before the *: a shorter one was searched as a word.",
    "broad prefix": "A word ending in * begins words found too often in the archive to search them all at once: it was "
                    "searched as a word. Write more of it before the * (“negotiat*”, not “neg*”).",
    "phrase": f"A phrase was searched for its first {MAX_PHRASE_WORDS} words.",
    "length": f"A word longer than {MAX_WORD_LENGTH} characters was cut to that length.",
}


def _bounded(parsed: ParsedQuery, budget: PrefixBudget) -> tuple[ParsedQuery, set[str]]:
    """The clauses within the bounds, in order, and the kinds of cut made ("terms", "prefixes", ...)."""
    cuts: set[str] = set()
    seen: set[Term] = set()
    terms = prefixes = 0
    clauses = []
    for clause in parsed.clauses:
        kept = []
        for term in clause:
            term = _term_bounded(term, cuts)
            if term in seen:
                cuts.add("repeat")
                continue
            if terms == MAX_TERMS:
                cuts.add("terms")
                continue
            if term.prefix and prefixes == MAX_PREFIXES:
                cuts.add("prefixes")
                continue
            if term.prefix and not budget.take(term):
                cuts.add("broad prefix")
                term = dataclasses.replace(term, prefix=False)
                if term in seen:
                    continue
            seen.add(term)
            kept.append(term)
            terms += 1
            prefixes += term.prefix
        if kept:
            clauses.append(tuple(kept))
    return ParsedQuery(tuple(clauses)), cuts


def _term_bounded(term: Term, cuts: set[str]) -> Term:
    if term.prefix and len(term.text) < MIN_PREFIX_LETTERS:
        cuts.add("short prefix")
        term = dataclasses.replace(term, prefix=False)
    if term.phrase and len(term.text.split()) > MAX_PHRASE_WORDS:
        cuts.add("phrase")
        term = dataclasses.replace(term, text=" ".join(term.text.split()[:MAX_PHRASE_WORDS]))
    if any(len(word) > MAX_WORD_LENGTH for word in term.text.split()):
        cuts.add("length")
        term = dataclasses.replace(term, text=" ".join(word[:MAX_WORD_LENGTH] for word in term.text.split()))
    return term


def query_text(parsed: ParsedQuery) -> str:
    """The query syntax that parses back to these clauses: 'gas "power line" OR pipeline -oil sanction*'."""
    return " ".join(" OR ".join(_term_text(term) for term in clause) for clause in parsed.clauses)


def _term_text(term: Term) -> str:
    # A phrase, and a word that would otherwise read as the operator OR, go in quotes.
    text = f'"{term.text}"' if term.phrase or term.text == "OR" else term.text + ("*" if term.prefix else "")
    return ("-" if term.negated else "") + (f"{term.field}:" if term.field else "") + text


def _without_stacked_marks(text: str) -> str:
    """Drop combining marks beyond MAX_STACKED_MARKS in a row ("a" + 100 accents -> "a" + 2)."""
    kept, run = [], 0
    for char in text:
        run = run + 1 if unicodedata.combining(char) else 0
        if run <= MAX_STACKED_MARKS:
            kept.append(char)
    return "".join(kept)
