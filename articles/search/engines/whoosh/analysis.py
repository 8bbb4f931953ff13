"""Newsdesk's analysis (articles.search.analysis) as a Whoosh analyzer, so the index holds exactly its terms.

Whoosh pickles the analyzer into the index's table of contents: this class must keep its
import path, or indexes built with it cannot be opened.
"""

from whoosh.analysis import Composable, Token

from ...analysis import fold, index_term, token_table, token_terms


class NewsdeskAnalyzer(Composable):
    # Stemming changes words: Whoosh then keeps the unstemmed words apart for spelling suggestions,
    # asking for them with no_morph=True.
    is_morph = True

    def __call__(self, value: str, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        if not tokenize:  # one term as it is (Whoosh's query parser asks this of some terms)
            token.text = token.original = index_term(fold(value)) or value.lower()
            token.stopped = False
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        # analyze(value, keep_stopped=not removestops, stemmed=not no_morph), from one token table: the words
        # are split and their terms found in C (a Python step per word was most of an article's indexing time).
        # Indexing asks for neither spans nor original words: then the terms alone.
        if chars or keeporiginal:
            table = token_table(value, stemmed=not no_morph)
            tokens = zip(table.terms, table.starts, table.ends)
        else:
            tokens = ((term, 0, 0) for term in token_terms(value, stemmed=not no_morph))
        position = start_pos
        for term, start, end in tokens:
            if term:
                token.stopped = False
            elif removestops:
                continue
            else:
                token.stopped = True  # at the position of the term after it
            token.text = term
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token
            position += bool(term)

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))
