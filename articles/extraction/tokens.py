"""Split article text into word tokens that know their paragraph, heading and sentence."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# "U.S." / "U.N." | an initial before a name ("S. Jaishankar") | words with inner
# hyphens or apostrophes, optionally ending in "+" ("OPEC+").
_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]\.(?=\s+[A-Z])|\w+(?:[-']\w+)*\+?")
_PARAGRAPH_RE = re.compile(r"\n[^\S\n]*\n")  # a blank line, "\r\n" endings too
_SENTENCE_END = frozenset(".!?:;")
_HEADING_MAX_WORDS = 12
_FINAL_PUNCTUATION = tuple(".!?:;\"')…”’")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    gap: str              # the characters between the previous token and this one
    paragraph: int
    heading: bool
    sentence_start: bool

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Return the tokens of ``text``, splitting possessive "'s" into its own token."""
    text = text.translate(_APOSTROPHES)
    tokens: list[Token] = []
    for index, (start, end, heading) in enumerate(_paragraphs(text)):
        previous_end = start
        for match in _TOKEN_RE.finditer(text, start, end):
            for word, word_start in _split_possessive(match.group(), match.start()):
                gap = text[previous_end:word_start]
                first = previous_end == start
                tokens.append(Token(word, word_start, word_start + len(word), gap, index,
                                    heading, first or _ends_sentence(gap, tokens)))
                previous_end = word_start + len(word)
    return tokens


def token_texts(phrase: str) -> list[str]:
    """Split a short phrase into words as ``tokenize`` would: "Russia's army" -> Russia, 's, army."""
    phrase = phrase.translate(_APOSTROPHES)
    return [word for match in _TOKEN_RE.finditer(phrase)
            for word, _ in _split_possessive(match.group(), match.start())]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Drop accents, keep case: "Erdoğan" -> "Erdogan"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def is_contiguous(token: Token) -> bool:
    """Tell whether only ordinary spacing separates ``token`` from the one before it."""
    return token.gap in (" ", "") or (token.gap.isspace() and "\n" not in token.gap)


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """Return (start, end, is_heading) for each blank-line separated paragraph."""
    spans, start = [], 0
    for match in _PARAGRAPH_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e, i > 0 and _is_heading(text[s:e])) for i, (s, e) in enumerate(spans)
            if text[s:e].strip()]


def _is_heading(paragraph: str) -> bool:
    """Tell a section heading: one short line without final punctuation."""
    line = paragraph.strip()
    return ("\n" not in line and len(line.split()) <= _HEADING_MAX_WORDS
            and not line.endswith(_FINAL_PUNCTUATION))


def _split_possessive(word: str, start: int) -> list[tuple[str, int]]:
    """Split "Russia's" into "Russia" and "'s" so names match without the suffix."""
    if len(word) > 2 and word.endswith("'s"):
        return [(word[:-2], start), ("'s", start + len(word) - 2)]
    return [(word, start)]


def _ends_sentence(gap: str, tokens: list[Token]) -> bool:
    """Tell whether the gap before a token closes a sentence."""
    if any(char in _SENTENCE_END for char in gap):
        return True
    # The tokenizer keeps the dot of "U.S." and "S." inside the token itself.
    previous = tokens[-1].text if tokens else ""
    return previous.endswith(".") and len(previous) > 2 and previous.count(".") == 1
