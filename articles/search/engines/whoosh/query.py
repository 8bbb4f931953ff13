"""The researcher's parsed query as a Whoosh query, through haystack's query language.

# ParsedQuery(gas, ("power line" OR pipeline), NOT oil) -> (text:gas AND (text:"power line" OR text:pipeline) AND NOT text:oil)
"""

from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from ...analysis import prefix_text
from ...query import ParsedQuery, Term


def query_to_sq(parsed: ParsedQuery) -> SQ:
    """Turn the parsed query into haystack's SQ (AND of ORs, with NOT)."""
    combined = None
    for clause in parsed.clauses:
        either = None
        for term in clause:
            node = _term_sq(term)
            either = node if either is None else either | node
        if clause[0].negated:
            either = ~either
        combined = either if combined is None else combined & either
    return combined


def _term_sq(term: Term) -> SQ:
    field = term.field or "content"
    if term.phrase:
        return SQ(**{field: Exact(term.text)})
    if term.prefix:
        return SQ(**{f"{field}__startswith": Clean(prefix_text(term.text))})  # prefixes are not analysed
    return SQ(**{field: Clean(term.text)})


def text_query_string(parsed: ParsedQuery) -> str:
    """The query string haystack sends Whoosh for the text part alone."""
    return SearchQuerySet().filter(query_to_sq(parsed)).query.build_query()


def whoosh_query(backend, parsed: ParsedQuery):
    """The Whoosh query object of the text part, parsed with the index's own fields and analysis."""
    return backend.parser.parse(text_query_string(parsed))
