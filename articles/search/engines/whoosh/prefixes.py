"""A prefix matched as researchers mean it: every indexed word starting with it, through that word's term.

The index holds stems: "negotiations" and "negotiated" are both the term "negoti", so Whoosh's
Prefix("negotiat") (the terms starting with it) finds nothing. A prefix here stands for the
terms starting with it plus the terms of the unstemmed words the index knows (the spelling
words kept with the segment columns) that start with it:
# negotiat* -> words negotiate, negotiated, negotiations -> terms ("negoti",)
# sanction* -> the term sanction, and the words sanctioned, sanctions (term: sanction) -> ("sanction",)
A document matches when it holds one of those terms, so it also matches through another word
of the same term ("negotiable"); highlighting marks exactly those terms (highlight.QueryTerms).
The terms are worked out once for the whole index, so every segment uses the same ones.
"""

from whoosh.query import Prefix

from ...analysis import index_term
from .columns import searcher_spelling
from .searchers import current_searcher


def prefix_terms(searcher, field: str, prefix: str) -> tuple[str, ...]:
    """The index terms a prefix stands for in a field, sorted: see the module's docstring."""
    reader = searcher.reader()
    if field not in reader.schema:
        return ()
    found = {term.decode("utf-8") for term in reader.expand_prefix(field, prefix)}
    fieldobj = reader.schema[field]
    for word in searcher_spelling(searcher).starting_with(prefix):
        term = index_term(word)
        if term and term not in found and (field, fieldobj.to_bytes(term)) in reader:
            found.add(term)
    return tuple(sorted(found))


class WordPrefix(Prefix):
    """Whoosh's Prefix over the terms prefix_terms() gave: matched and scored as Whoosh matches a Prefix
    (MultiTerm.matcher: one term alone, several as an Or, unscored unless constantscore is off)."""

    def __init__(self, fieldname: str, text: str, terms: tuple[str, ...], boost: float = 1.0, constantscore: bool = True):
        super().__init__(fieldname, text, boost=boost, constantscore=constantscore)
        self.terms = terms

    def _btexts(self, ixreader):
        """The terms this segment holds, in order (Whoosh's Prefix: the segment's terms starting with the text)."""
        if self.fieldname not in ixreader.schema:
            return []
        fieldobj = ixreader.schema[self.fieldname]
        texts = (fieldobj.to_bytes(term) for term in self.terms)
        return [text for text in texts if (self.fieldname, text) in ixreader]

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.terms == other.terms

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.terms)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r}, {self.terms!r}, boost={self.boost})"


def with_word_prefixes(query, searcher):
    """The query with each Prefix a WordPrefix over the terms it stands for in the searcher's index."""

    def widen(node):
        if type(node) is Prefix:
            terms = prefix_terms(searcher, node.fieldname, node.text)
            return WordPrefix(node.fieldname, node.text, terms, boost=node.boost, constantscore=node.constantscore)
        return node

    return query.accept(widen)


class WordPrefixParser:
    """A backend's Whoosh query parser whose queries match prefixes by word (with_word_prefixes).

    haystack's search parses its query string with backend.parser: both the plain path and
    the column search (query.whoosh_query) go through here, so both match the same terms.
    """

    def __init__(self, parser, backend):
        self.parser, self.backend = parser, backend

    def parse(self, text, *args, **kwargs):
        return with_word_prefixes(self.parser.parse(text, *args, **kwargs), current_searcher(self.backend))

    def __getattr__(self, name):
        return getattr(self.parser, name)
