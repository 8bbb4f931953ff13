"""A prefix matched as on Whoosh: the index terms starting with it, plus the terms of the indexed words starting with it.

The index holds stems ("negotiations" -> "negoti"), so text:negotiat* alone finds nothing; the
unstemmed words are in the `spell` field (a copy of `text`, see the configset):
# negotiat* -> terms starting with it: none; spell words negotiated, negotiations -> ("negoti",)
# -> text query (text:negotiat* OR text:negoti)^=1   (constant score, as Whoosh scores a prefix)
"""

import dataclasses

from ...analysis import index_term, prefix_text
from ...documents import article_index
from ...query import ParsedQuery
from .client import SolrClient

TERM_CHECK = "{!term f=%s}"


def prefix_terms(client: SolrClient, collection: str, field: str, prefix: str) -> tuple[str, ...]:
    """The index terms a prefix stands for in a field ("": the content), sorted."""
    field = field or "text"
    if field not in article_index().fields or not prefix:
        return ()
    found = set(_terms_starting(client, collection, field, prefix))
    candidates = {index_term(word) for word in _terms_starting(client, collection, "spell", prefix)} - found - {""}
    if candidates:
        # Only the terms some live document of this field holds (the spell words come from the whole text).
        params = [("q", "*:*"), ("rows", "0"), ("wt", "json"), ("facet", "true"), ("json.nl", "map")]
        params += [("facet.query", TERM_CHECK % field + term) for term in sorted(candidates)]
        counts = client.post(f"{collection}/select", data=params).get("facet_counts", {}).get("facet_queries", {})
        found |= {query.removeprefix(TERM_CHECK % field) for query, count in counts.items() if count}
    return tuple(sorted(found))


def with_prefix_terms(parsed: ParsedQuery, client: SolrClient, collection: str) -> ParsedQuery:
    """The query with each prefix term given the terms it stands for (translate.text_query matches them)."""
    if not any(term.prefix for clause in parsed.clauses for term in clause):
        return parsed
    clauses = tuple(
        tuple(dataclasses.replace(term, terms=prefix_terms(client, collection, term.field, prefix_text(term.text)))
              if term.prefix else term for term in clause)
        for clause in parsed.clauses
    )
    return dataclasses.replace(parsed, clauses=clauses)


def _terms_starting(client: SolrClient, collection: str, field: str, prefix: str) -> list[str]:
    """Every term of the field starting with prefix that a document holds (TermsComponent, over every shard)."""
    answer = client.post(f"{collection}/terms", data=[
        ("terms.fl", field), ("terms.prefix", prefix), ("terms.limit", "-1"), ("terms.mincount", "1"),
        ("terms.sort", "index"), ("wt", "json"), ("json.nl", "map"),
    ])
    return list(answer.get("terms", {}).get(field, {}))
