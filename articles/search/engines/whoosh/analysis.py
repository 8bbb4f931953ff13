"""Newsdesk's analysis (articles.search.analysis) as a Whoosh analyzer, so the index holds exactly its terms.

Whoosh pickles the analyzer into the index's table of contents: this class must keep its
import path, or indexes built with it cannot be opened.
"""

from whoosh.analysis import Composable, Token

from ...analysis import analyze, fold, index_term


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
        for found in analyze(value, keep_stopped=not removestops, stemmed=not no_morph):
            token.text = found.term
            token.stopped = found.stopped
            if keeporiginal:
                token.original = value[found.start:found.end]
            if positions:
                token.pos = start_pos + found.position
            if chars:
                token.startchar, token.endchar = start_char + found.start, start_char + found.end
            yield token

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))
