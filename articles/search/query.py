"""Read the researcher's query syntax into clauses every engine translates, or fall back to plain words.

# gas "power line" OR pipeline -oil headline:sanctions sanction*
#   -> gas AND ("power line" OR pipeline) AND NOT oil AND headline:sanctions AND sanction*
Malformed input (an unclosed quote, a dangling OR, an unknown field) is searched as plain
words, with a notice saying so; nothing here raises on user input.
"""

import dataclasses
import re

FIELDS = {"headline"}
# One token: an optional "-", an optional "field:", then a "quoted phrase" or a bare word.
_TOKEN = re.compile(r'\s*(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')


class QuerySyntaxError(ValueError):
    """The query cannot be read as written; the message says why in plain words."""


@dataclasses.dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False
    field: str = ""  # "" searches headline and body
    # A prefix's index terms in the archive (selectors.with_prefix_terms), which highlighting marks.
    terms: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[tuple[Term, ...], ...]  # AND of clauses, each an OR of terms
    notices: tuple[str, ...] = ()  # what was read otherwise than typed ("a*" is the word "a")

    def words(self) -> list[str]:
        """The words the query looks for (not excluded ones), for highlighting."""
        return [word for clause in self.clauses for term in clause if not term.negated for word in re.findall(r"\w+", term.text)]


def parse_query(q: str) -> ParsedQuery:
    """Read q into clauses; raise QuerySyntaxError when it is malformed."""
    if q.count('"') % 2:
        raise QuerySyntaxError("a quotation mark is not closed")
    clauses: list[list[Term]] = []
    notices: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(q):
        if match.group("word") == "OR" and not match.group("neg") and not match.group("field"):
            if not clauses or join_next:
                raise QuerySyntaxError("OR needs a word on each side")
            join_next = True
            continue
        term = _term(match)
        if term is None:
            continue
        if (match.group("word") or "").endswith("*") and not term.prefix:
            notices.append(f"A * needs at least two letters before it: “{match.group('word')}” was searched as “{term.text}”.")
        if join_next:
            if term.negated or any(t.negated for t in clauses[-1]):
                raise QuerySyntaxError("an excluded word cannot be one side of OR")
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    if join_next:
        raise QuerySyntaxError("OR needs a word on each side")
    if clauses and all(clause[0].negated for clause in clauses):
        raise QuerySyntaxError("the query only excludes words")
    return ParsedQuery(tuple(tuple(clause) for clause in clauses), tuple(notices))


def _term(match: re.Match) -> Term | None:
    """Build one term from a token, or None when nothing searchable is left of it."""
    field = (match.group("field") or "").lower()
    if field and field not in FIELDS:
        raise QuerySyntaxError(f"there is no field “{field}” (try headline:word)")
    negated = bool(match.group("neg"))
    if match.group("phrase") is not None:
        words = re.findall(r"\w+", match.group("phrase"))
        return Term(" ".join(words), phrase=len(words) > 1, negated=negated, field=field) if words else None
    raw = match.group("word")
    text = re.sub(r"^\W+|\W+$", "", raw)  # "(talks)," -> "talks"; "U.S." -> "U.S"; "anti-war" stays
    if not text:
        return None
    prefix = raw.endswith("*") and re.fullmatch(r"\w{2,}", text) is not None
    return Term(text, prefix=prefix, negated=negated, field=field)


def plain_words(q: str) -> ParsedQuery:
    """The fallback reading of a malformed query: every word, all required."""
    return ParsedQuery(tuple((Term(word),) for word in re.findall(r"\w+", q) if word != "OR"))


def read_query(q: str) -> tuple[ParsedQuery, tuple[str, ...]]:
    """Parse the query syntax; a malformed query is read as plain words, with a notice."""
    try:
        parsed = parse_query(q)
        return parsed, parsed.notices
    except QuerySyntaxError as error:
        return plain_words(q), (f"Searched for the words only, because {error}.",)
