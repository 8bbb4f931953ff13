"""What a peer computes for one query of the mix, read from its URL the way the app reads it.

# /search/?q=gas "power line" OR pipeline -oil&topic=energy&page=2
#   -> Spec(op="page", clauses=((gas,), ("power line", pipeline), (-oil,)), topics=("energy",), page=2)
The query syntax is the app's (articles/query.py): AND of clauses, each an OR of terms; a
term is a word, a "phrase", a prefix (word*), optionally headline:..., or -excluded.
Malformed input is read as plain words, as the app does. Peers never import the app.
"""

import dataclasses
import re

_TOKEN = re.compile(r'\s*(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')
PAGE_SIZE = 20


@dataclasses.dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words
    prefix: bool = False
    negated: bool = False
    field: str = ""  # "" = headline and body; "headline"

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


@dataclasses.dataclass(frozen=True)
class Spec:
    op: str  # "page" (a search or label page), "export" (every match as CSV), "compare" (months per series)
    clauses: tuple[tuple[Term, ...], ...] = ()  # AND of ORs; empty: filters only
    date_from: str = ""
    date_to: str = ""
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    actors_not: tuple[str, ...] = ()
    topics_not: tuple[str, ...] = ()
    sort: str = "relevance"  # relevance | newest | oldest
    page: int = 1
    series: tuple["Spec", ...] = ()  # compare: one spec per series (the last one: all articles)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def words(self) -> list[str]:
        """The words looked for (not excluded ones): highlighting and "did you mean"."""
        return [word for clause in self.clauses for term in clause if not term.negated for word in term.words]

    def label_filters(self) -> list[tuple[str, str, bool]]:
        """(field, slug, excluded) for every actor and topic filter: ("actors", "russia", True) for actor_not=russia."""
        return ([("actors", slug, False) for slug in self.actors] + [("topics", slug, False) for slug in self.topics]
                + [("actors", slug, True) for slug in self.actors_not] + [("topics", slug, True) for slug in self.topics_not])

    @property
    def positive(self) -> list[tuple[Term, ...]]:
        return [clause for clause in self.clauses if not clause[0].negated]

    @property
    def negative(self) -> list[tuple[Term, ...]]:
        return [clause for clause in self.clauses if clause[0].negated]


def parse_query(q: str) -> tuple[tuple[Term, ...], ...]:
    """The app's reading of q; a malformed query is read as plain words."""
    try:
        return _parse(q)
    except ValueError:
        return tuple((Term((word,)),) for word in re.findall(r"\w+", q) if word != "OR")


def _parse(q: str) -> tuple[tuple[Term, ...], ...]:
    if q.count('"') % 2:
        raise ValueError("unclosed quote")
    clauses, join_next = [], False
    for match in _TOKEN.finditer(q):
        if match.group("word") == "OR" and not match.group("neg") and not match.group("field"):
            if not clauses or join_next:
                raise ValueError("dangling OR")
            join_next = True
            continue
        field = (match.group("field") or "").lower()
        if field and field != "headline":
            raise ValueError("unknown field")
        negated = bool(match.group("neg"))
        if match.group("phrase") is not None:
            words, prefix = tuple(re.findall(r"\w+", match.group("phrase"))), False
        else:
            raw = match.group("word")
            text = re.sub(r"^\W+|\W+$", "", raw)
            words = tuple(re.findall(r"\w+", text))
            prefix = raw.endswith("*") and re.fullmatch(r"\w{2,}", text) is not None
        if not words:
            continue
        term = Term(words, prefix, negated, field)
        if join_next:
            if negated or clauses[-1][0].negated:
                raise ValueError("excluded word in OR")
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    if join_next or (clauses and all(clause[0].negated for clause in clauses)):
        raise ValueError("dangling OR or only exclusions")
    return tuple(tuple(clause) for clause in clauses)


def _listed(params: dict, name: str) -> tuple[str, ...]:
    value = params.get(name, ())
    return tuple([value] if isinstance(value, str) else value)


def search_spec(params: dict, op: str = "page") -> Spec:
    q = " ".join(str(params.get("q", "")).split())
    clauses = parse_query(q) if q else ()
    default_sort = "relevance" if clauses else "newest"
    sort = params.get("sort") or default_sort
    if sort == "relevance" and not clauses:
        sort = "newest"
    return Spec(op, clauses, params.get("from", ""), params.get("to", ""), _listed(params, "actor"),
                _listed(params, "topic"), _listed(params, "actor_not"), _listed(params, "topic_not"),
                sort, int(params.get("page", 1)))


def spec_for(query: dict) -> Spec | None:
    """The peers' task for a query of the mix, or None when it has no peer equivalent (the article page)."""
    path, params = query["path"], query["params"]
    if path == "/search/":
        return search_spec(params, "export" if params.get("format") == "csv" else "page")
    if path.startswith("/actors/"):
        return Spec("page", actors=(path.strip("/").split("/")[1],), sort="newest")
    if path == "/compare/":
        base = search_spec({key: value for key, value in params.items() if key in ("from", "to", "topic")})
        series = []
        for value in _listed(params, "s"):
            kind, _, text = value.partition(":")
            series.append(dataclasses.replace(base, actors=(text,)) if kind == "actor"
                          else dataclasses.replace(base, clauses=parse_query(text), sort="relevance"))
        return Spec("compare", series=(*series, base))
    return None
