"""Read article files into ParsedArticle values: pure functions, no Django, no database.

An article file starts with a date header and the lead paragraph on the same line:

    " date 2024-04-03 High-level consultations between ... two nations. This ..."
    ""
    "Strategic Consultations: A Closer Look"
    ""
    "The discussions on UNSC affairs ..."

Paragraphs are separated by blank lines; a short line without final punctuation
is a section heading and stays a paragraph of its own.
"""

import dataclasses
import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from dateutil.parser import parserinfo

HEADLINE_LIMIT = 120
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100
BINARY_CONTROL_SHARE = 0.05  # real text has next to no control characters

# Control characters: those XML 1.0, and so Atom, cannot hold (ESC, NUL, \x01 ...), DEL and the C1
# controls (\x80-\x9f: bytes of another encoding read as Latin-1, never text); tab, newline and carriage
# return are layout, kept for split_paragraphs to read. A terminal's escape sequence ("\x1b[1m", bold)
# goes whole, not only its ESC.
_CONTROL_CHARACTERS = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Closing quotes/brackets that may follow final punctuation: 'He said "no."'
_CLOSERS = "\"'”’»)\\]"  # as a regex character-class body
_ENDS_WITH_PUNCTUATION = re.compile(rf"[.!?:;…,][{_CLOSERS}]*$")

# The header keyword: " date ", "Date:", "date:" (case-insensitive, after whitespace).
_KEYWORD = re.compile(r"\s*date\b\s*(?P<colon>:)?\s*", re.IGNORECASE)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_END = r"(?=\s|\Z)"  # the lead paragraph may follow on the same line
_DATE_SHAPES = (
    # 2024-04-08, 2024/04/08, 2024.04.08
    re.compile(rf"(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_DATE_END}"),
    # April 8, 2024 / Apr. 8, 2024 / April 8th 2024
    re.compile(rf"(?P<mon>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}}){_DATE_END}", re.I),
    # 8 April 2024 / 8 Apr 2024 / 8th April, 2024
    re.compile(rf"(?P<d>\d{{1,2}}){_ORDINAL}\s+(?P<mon>[a-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}}){_DATE_END}", re.I),
)
# 04/08/2024, 08.04.2024, 8-4-24: April 8 or August 4? Refused, never guessed.
_AMBIGUOUS_DATE = re.compile(rf"\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}{_DATE_END}")
_MONTH_NAMES = parserinfo()

# A sentence ends at . ! ? (plus closing quotes) before whitespace and a capital.
_SENTENCE_BOUNDARY = re.compile(rf"([.!?][{_CLOSERS}]*)\s+(?=[\"'“‘(\[]*([^\W\d_]))")
_TITLES = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "gov", "sen", "rep", "lt",
           "col", "sgt", "capt", "rev", "hon", "jr", "sr"}
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")  # "U.S" in "U.S.", "J" in "J. Smith"


@dataclass(frozen=True)
class ParsedArticle:
    date: datetime.date
    body: str  # paragraphs joined by "\n\n", inner whitespace collapsed, NFC
    headline: str  # first sentence of the lead, at most 120 characters
    fingerprint: str  # sha256 hex of the casefolded, whitespace-collapsed body
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252" or "latin-1"


class ArticleRefused(Exception):
    """Signal that a file is not a readable article; .reason says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_article(raw: bytes) -> ParsedArticle:
    """Decode the bytes of an article file and parse them."""
    text, encoding = _decode(raw)
    return dataclasses.replace(parse_article_text(text), encoding=encoding)


def parse_article_text(text: str) -> ParsedArticle:
    """Parse already-decoded article text (date header, then paragraphs); encoding reads "utf-8"."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ArticleRefused("the file is empty")
    if _looks_binary(text):
        raise ArticleRefused("the file looks like binary data, not text")
    date, rest = _split_date_header(text)
    paragraphs = split_paragraphs(rest)
    if not paragraphs:
        raise ArticleRefused("no article text after the date")
    body = "\n\n".join(paragraphs)
    return ParsedArticle(
        date=date,
        body=body,
        headline=derive_headline(body),
        fingerprint=fingerprint_text(body),
        encoding="utf-8",
    )


def split_paragraphs(body: str) -> list[str]:
    """Split text into NFC paragraphs at blank lines, collapsing whitespace in each.

    Lines of one block are soft-wrapped text and join with a space. One exception:
    a block's first line stands alone when it is a heading, the next line starts
    with a capital, and it is under 3/4 of the next line's length (a wrapped line
    fills the width, a heading does not):
        "Implications for Global Diplomacy\\nThe deepening ties ... diplomacy."
        -> ["Implications for Global Diplomacy", "The deepening ties ... diplomacy."]
    """
    paragraphs = []
    text = unicodedata.normalize("NFC", "\n".join(body.splitlines()))  # \r\n, \r -> \n
    text = without_control_characters(text)
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and _is_heading_before(lines[0], lines[1]):
            paragraphs.append(lines.pop(0))
        if lines:
            paragraphs.append(" ".join(" ".join(lines).split()))
    return paragraphs


def is_heading(paragraph: str) -> bool:
    """Tell whether a paragraph is a section heading: short, one line, no final punctuation."""
    text = paragraph.strip()
    first_letter = next((c for c in text if c.isalnum()), "")
    return (
        bool(text)
        and "\n" not in text
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and (first_letter.isupper() or first_letter.isdigit())
        and not _ENDS_WITH_PUNCTUATION.search(text)
    )


def without_control_characters(text: str, replacement: str = "") -> str:
    """Drop (or replace) control characters and terminal escape sequences, keeping tab, newline and carriage return."""
    return _CONTROL_CHARACTERS.sub(replacement, text)


def fingerprint_text(body: str) -> str:
    """Hash the body so the same article in another encoding or layout matches."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", body).casefold())
    return hashlib.sha256(" ".join(folded.split()).encode("utf-8")).hexdigest()


def derive_headline(body: str) -> str:
    """Make a headline from the lead's first sentence, cut to 120 characters."""
    paragraphs = split_paragraphs(body)
    return _shorten(_first_sentence(paragraphs[0])) if paragraphs else ""


def _decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-16 (with BOM), UTF-8, Windows-1252, else Latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ArticleRefused("the file starts with a UTF-16 mark but is not valid UTF-16") from None
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    for candidate in (encoding, "cp1252"):
        try:
            return raw.decode(candidate), candidate
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1"), "latin-1"  # every byte is a Latin-1 character


def _looks_binary(text: str) -> bool:
    """Tell whether decoded text is really binary data: NUL bytes or many control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return controls > BINARY_CONTROL_SHARE * len(text)


def _split_date_header(text: str) -> tuple[datetime.date, str]:
    """Split " date 2024-04-08 Lead text..." into (date(2024, 4, 8), "Lead text...")."""
    keyword = _KEYWORD.match(text)
    if not keyword:
        raise ArticleRefused("no date header at the start of the file (expected ' date YYYY-MM-DD')")
    start = keyword.end()
    for shape in _DATE_SHAPES:
        found = shape.match(text, start)
        if found and _month_number(found) is not None:
            return _to_date(found), text[found.end():]
    ambiguous = _AMBIGUOUS_DATE.match(text, start)
    if ambiguous:
        raise ArticleRefused(
            f"ambiguous date '{ambiguous.group()}': a numbers-only date can be read "
            "day/month or month/day (write it as YYYY-MM-DD or as '8 April 2024')"
        )
    token = text[start:].split(maxsplit=1)[0] if text[start:].strip() else ""
    attempted = keyword.group("colon") or token[:1].isdigit() or _MONTH_NAMES.month(token.rstrip(".,"))
    if token and attempted:
        raise ArticleRefused(f"unreadable date '{token}' (expected ' date YYYY-MM-DD')")
    # "Date palms grow ..." is prose, not a header.
    raise ArticleRefused("no date header at the start of the file (expected ' date YYYY-MM-DD')")


def _month_number(found: re.Match) -> int | None:
    """Read the month of a matched date: digits as-is, names via dateutil ("Sept." -> 9)."""
    if "mon" in found.groupdict():
        return _MONTH_NAMES.month(found.group("mon"))
    return int(found.group("m"))


def _to_date(found: re.Match) -> datetime.date:
    """Build the date from a matched header, refusing impossible ones like 2024-13-45."""
    # datetime checks the parts strictly; dateutil.parse would swap "2024/13/04" into April 13.
    try:
        return datetime.date(int(found.group("y")), _month_number(found), int(found.group("d")))
    except ValueError:
        raise ArticleRefused(f"impossible date '{found.group()}'") from None


def _is_heading_before(line: str, next_line: str) -> bool:
    """Tell whether a block's first line is clearly a heading over the text below it."""
    return is_heading(line) and next_line[:1].isupper() and len(line) < 0.75 * len(next_line)


def _first_sentence(text: str) -> str:
    """Return the first sentence: "Mr. Li met U.S. envoys. Talks ..." -> "Mr. Li met U.S. envoys."."""
    for boundary in _SENTENCE_BOUNDARY.finditer(text):
        if not boundary.group(2).isupper():
            continue
        if boundary.group(1).startswith(".") and _ends_with_abbreviation(text[:boundary.start()]):
            continue
        return text[:boundary.end(1)]
    return text


def _ends_with_abbreviation(text: str) -> bool:
    """Tell whether the word before a full stop is a title or initials ("Mr", "U.S", "J")."""
    word = text.split()[-1].lstrip("\"'“‘([") if text.split() else ""
    return word.lower() in _TITLES or bool(_INITIALS.fullmatch(word))


def _shorten(text: str, limit: int = HEADLINE_LIMIT) -> str:
    """Cut text at a word boundary to at most `limit` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)  # keep text[:cut] + "…" within the limit
    if cut <= 0:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:—–-") + "…"
