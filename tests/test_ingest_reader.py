"""Tests for articles.ingest: reading article files into ParsedArticle values."""

import datetime
import hashlib
from pathlib import Path

import pytest

from articles.ingest import (
    ArticleRefused,
    derive_headline,
    fingerprint_text,
    is_heading,
    parse_article_text,
    read_article,
    split_paragraphs,
)

SEEDS = Path(__file__).parent.parent / "data/seeds"
APRIL_8 = datetime.date(2024, 4, 8)
NO_DATE = "no date header at the start of the file (expected ' date YYYY-MM-DD')"


def refusal(raw):
    """Return the reason read_article gives for refusing raw bytes."""
    with pytest.raises(ArticleRefused) as refused:
        read_article(raw)
    return refused.value.reason


# --- encodings -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, encoding, body",
    [
        (" date 2024-04-08 Café in Zürich.".encode("utf-8"), "utf-8", "Café in Zürich."),
        (b"\xef\xbb\xbf date 2024-04-08 Caf\xc3\xa9.", "utf-8-sig", "Café."),
        (" date 2024-04-08 Café “Zürich”.".encode("utf-16"), "utf-16", "Café “Zürich”."),
        (b"\xfe\xff" + " date 2024-04-08 Café.".encode("utf-16-be"), "utf-16", "Café."),
        (b"\xff\xfe" + " date 2024-04-08 Café.".encode("utf-16-le"), "utf-16", "Café."),
        (b" date 2024-04-08 Caf\xe9 in Z\xfcrich.", "cp1252", "Café in Zürich."),
        (b" date 2024-04-08 \x93Quoted\x94 \x97 it\x92s.", "cp1252", "“Quoted” — it’s."),
        # 0x8D is undefined in Windows-1252, so only Latin-1 can read this file; it reads it as a C1 control,
        # which is no text: dropped.
        (b" date 2024-04-08 Caf\xe9 in Z\xfcrich \x8d.", "latin-1", "Café in Zürich ."),
        (b" date 2024-04-08 Plain ASCII.", "utf-8", "Plain ASCII."),
    ],
    ids=[
        "utf8", "utf8-bom", "utf16", "utf16-be", "utf16-le", "latin1", "cp1252-quotes", "latin1-only", "ascii",
    ],
)
def test_reads_encodings(raw, encoding, body):
    article = read_article(raw)
    assert (article.date, article.encoding, article.body) == (APRIL_8, encoding, body)


def test_reads_latin1_accents():
    article = read_article(b" date 2024-04-08 Le caf\xe9 de Z\xfcrich \xe0 l'\xe9t\xe9.")
    assert article.body == "Le café de Zürich à l'été."


def test_reads_windows1252_curly_quotes_and_dash():
    article = read_article(b" date 2024-04-08 \x93It\x92s over\x94 \x97 he said.")
    assert article.body == "“It’s over” — he said."


def test_body_is_nfc():
    article = parse_article_text(" date 2024-04-08 Cafe\u0301 in Zu\u0308rich.")
    assert article.body == "Caf\u00e9 in Z\u00fcrich."


# --- line ends and whitespace ---------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b" date 2024-04-08 First para.\n\nHeading Here\n\nSecond para.",
        b" date 2024-04-08 First para.\r\n\r\nHeading Here\r\n\r\nSecond para.",
        b" date 2024-04-08 First para.\r\rHeading Here\r\rSecond para.",
        b" date 2024-04-08 First para.\r\n\nHeading Here\r\rSecond para.\r\n",
        b" date 2024-04-08 First para.  \t\n \t\n\n\nHeading Here \n\n\n  Second para.\t\n\n",
    ],
    ids=["lf", "crlf", "cr", "mixed", "trailing-and-extra-blank-lines"],
)
def test_reads_any_line_endings(raw):
    assert read_article(raw).body == "First para.\n\nHeading Here\n\nSecond para."


@pytest.mark.parametrize(
    "text, paragraphs",
    [
        ("One line.", ["One line."]),
        ("Soft wrapped\nlines join\nwith spaces.", ["Soft wrapped lines join with spaces."]),
        ("Tabs\tand   runs  of\u00a0spaces.", ["Tabs and runs of spaces."]),
        ("Cafe\u0301\r\nau lait.\r\n\r\nNext.", ["Caf\u00e9 au lait.", "Next."]),
        ("A.\n\n\n\nB.", ["A.", "B."]),
        ("  \n\nA.\n \t \nB.\n\n  ", ["A.", "B."]),
        # A heading glued to its text stays apart: short, no full stop, text below starts a sentence.
        (
            "Implications for Global Diplomacy\nThe deepening ties between China and Russia matter.",
            ["Implications for Global Diplomacy", "The deepening ties between China and Russia matter."],
        ),
        # A wrapped line that happens to lack punctuation is not split off: it fills the width.
        (
            "The strategic alignment between China and Russia, especially within\nUNSC talks, sets the stage.",
            ["The strategic alignment between China and Russia, especially within UNSC talks, sets the stage."],
        ),
        # A wrapped line followed by lower case continues the sentence.
        ("Talks between the two\nnations went on late.", ["Talks between the two nations went on late."]),
        # Only a block's first line can be a heading; later lines are wrapped text.
        ("It began.\nShort Line\nMore text follows here.", ["It began. Short Line More text follows here."]),
    ],
    ids=[
        "single", "soft-wrap", "whitespace", "nfc-crlf", "many-blanks", "blank-with-spaces",
        "glued-heading", "wrapped-no-punct", "wrapped-lower", "heading-midblock",
    ],
)
def test_splits_paragraphs(text, paragraphs):
    assert split_paragraphs(text) == paragraphs


def test_split_paragraphs_of_a_body_returns_its_paragraphs():
    body = read_article((SEEDS / "000_54d169e487e0cee8.txt").read_bytes()).body
    assert split_paragraphs(body) == body.split("\n\n")


def test_keeps_html_verbatim():
    text = " date 2024-04-08 <script>alert(1)</script> and <b>bold</b> & <i>more</i>.\n\n<p>Second</p>"
    expected = "<script>alert(1)</script> and <b>bold</b> & <i>more</i>.\n\n<p>Second</p>"
    assert parse_article_text(text).body == expected


def test_accepts_short_text():
    article = read_article(b" date 2024-04-08 Brief.")
    assert (article.body, article.headline) == ("Brief.", "Brief.")


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        " date 2024-04-08 ",
        "date 2024-04-08 ",
        " DATE 2024-04-08 ",
        " date 2024/04/08 ",
        " date 2024.04.08 ",
        " date 2024-4-8 ",
        "Date: April 8, 2024\n",
        "Date: April 8, 2024\n\n",
        "date: 8 April 2024 ",
        "date: 8 April 2024\r\n",
        "Date: Apr. 8, 2024\n",
        "Date: 8 Apr 2024\n",
        "Date: april 8 2024\n",
        "Date: 8th April, 2024\n",
        "Date: April 8th, 2024\n",
        "Date:2024-04-08\n",
        "\n\n   date 2024-04-08 ",
        "\ufeff date 2024-04-08 ",
        "\t Date : 2024-04-08\n",
    ],
)
def test_reads_date_spellings(header):
    article = parse_article_text(header + "Lead text.")
    assert (article.date, article.body) == (APRIL_8, "Lead text.")


@pytest.mark.parametrize(
    "header, date",
    [
        ("Date: Sept. 30, 2023", datetime.date(2023, 9, 30)),
        ("Date: 29 February 2024", datetime.date(2024, 2, 29)),
        ("date 2024-12-31", datetime.date(2024, 12, 31)),
    ],
)
def test_reads_other_dates(header, date):
    assert parse_article_text(header + " Text.").date == date


def test_date_header_keeps_first_paragraph_on_same_line():
    article = parse_article_text(" date 2024-04-08 2 people were hurt.\n\nMore.")
    assert article.body == "2 people were hurt.\n\nMore."


# --- refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "the file is empty"),
        (b"   \n\t\r\n  ", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\xef\xbb\xbf  \r\n", "the file is empty"),
        (b"Just some text without a date.", NO_DATE),
        (b"Date palms grow in the desert.", NO_DATE),
        (b"Some text.\n date 2024-04-08 Later.", NO_DATE),
        (b" date 2024-13-45 Text.", "impossible date '2024-13-45'"),
        (b" date 2023-02-29 Text.", "impossible date '2023-02-29'"),
        (b"Date: April 31, 2024\nText.", "impossible date 'April 31, 2024'"),
        (b" date 0000-01-01 Text.", "impossible date '0000-01-01'"),
        (b" date 2024-04-08", "no article text after the date"),
        (b" date 2024-04-08   \r\n\r\n  ", "no article text after the date"),
        (b"Date:\n", NO_DATE),
        (b"Date: tomorrow\nText.", "unreadable date 'tomorrow' (expected ' date YYYY-MM-DD')"),
        (b" date 2024-04-0x Text.", "unreadable date '2024-04-0x' (expected ' date YYYY-MM-DD')"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe", "the file looks like binary data, not text"),
        (b" date 2024-04-08 Text with a NUL\x00 byte.", "the file looks like binary data, not text"),
        (bytes(range(1, 32)) * 4 + b" date 2024-04-08 Text.", "the file looks like binary data, not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file looks like binary data, not text"),
        (b"\xff\xfe \x00d\x00a", "the file starts with a UTF-16 mark but is not valid UTF-16"),
    ],
    ids=[
        "empty", "whitespace", "bom-only", "bom-and-whitespace", "no-date", "date-palms", "date-later",
        "month-13", "not-leap-year", "april-31", "year-0", "date-only", "date-then-blank", "colon-only",
        "unreadable-word",
        "unreadable-digits", "nul-junk", "nul-in-text", "control-chars", "png", "broken-utf16",
    ],
)
def test_refuses_unreadable_files(raw, reason):
    assert refusal(raw) == reason


@pytest.mark.parametrize("date_text", ["04/08/2024", "08.04.2024", "8-4-2024", "04/08/24", "13/04/2024"])
def test_refuses_ambiguous_numeric_dates(date_text):
    reason = refusal(f" date {date_text} Text.".encode())
    assert reason.startswith(f"ambiguous date '{date_text}'")
    assert "day/month or month/day" in reason


def test_refuses_file_without_date():
    assert refusal(b"High-level talks began.").startswith("no date header")


def test_refusal_reason_is_plain_words():
    with pytest.raises(ArticleRefused) as refused:
        parse_article_text(" date 2024-13-45 Text.")
    assert str(refused.value) == refused.value.reason == "impossible date '2024-13-45'"
    assert refused.value.__cause__ is None


# --- headings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, heading",
    [
        ("Strategic Consultations: A Closer Look", True),
        ("Implications for Global Diplomacy", True),
        ("Future Trajectory of Sino-Russian Relations", True),
        ("What Comes Next", True),
        ("2024 in Review", True),
        ("The Role of the UNSC (2024)", True),
        ("This is a sentence.", False),
        ("Is this a question?", False),
        ("Wow!", False),
        ("Looking ahead:", False),
        ("Ending with a semicolon;", False),
        ("And so on…", False),
        ("He said “no.”", False),
        ("He said 'no!'", False),
        ("Listed, with a trailing comma,", False),
        ("lowercase fragment of text", False),
        ("One two three four five six seven eight nine ten eleven twelve thirteen", False),
        ("A" * 101, False),
        ("Two\nLines", False),
        ("", False),
        ("   ", False),
    ],
)
def test_recognises_headings(paragraph, heading):
    assert is_heading(paragraph) is heading


# --- headline ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body, headline",
    [
        ("Talks began. They ended late.", "Talks began."),
        ("Did talks begin? Yes.", "Did talks begin?"),
        ("Talks began! Then ended.", "Talks began!"),
        ("Mr. Li met U.S. envoys in Beijing. Talks went on.", "Mr. Li met U.S. envoys in Beijing."),
        ("Dr. Smith and Gen. Jones spoke. Others did not.", "Dr. Smith and Gen. Jones spoke."),
        ("John F. Kennedy spoke. Crowds cheered.", "John F. Kennedy spoke."),
        ("Prices rose 3.5 percent. Markets fell.", "Prices rose 3.5 percent."),
        ("It ended at 5 p.m. on Monday. Then more.", "It ended at 5 p.m. on Monday."),
        ("He said “we agree.” Then he left.", "He said “we agree.”"),
        ("No final stop here", "No final stop here"),
        ("Lead only.\n\nSecond paragraph.", "Lead only."),
        ("Heading First\n\nThe text.", "Heading First"),
        ("", ""),
    ],
)
def test_derives_headline_from_first_sentence(body, headline):
    assert derive_headline(body) == headline


@pytest.mark.parametrize(
    "body, headline",
    [
        ("word " * 30 + "end.", ("word " * 24).strip() + "…"),
        ("x" * 130 + ". Next.", "x" * 119 + "…"),
        ("a" * 115 + " bbbbbbbbbb.", "a" * 115 + "…"),
        ("a" * 110 + ", and then some more words.", "a" * 110 + ", and…"),
        ("a" * 113 + ", bbbbbbbbbb.", "a" * 113 + "…"),
        ("a" * 119 + ".", "a" * 119 + "."),
    ],
    ids=[
        "many-words", "one-long-word", "cut-before-last-word", "cut-mid-clause", "drops-trailing-comma", "exactly-120",
    ],
)
def test_cuts_headline_at_word_boundary(body, headline):
    result = derive_headline(body)
    assert result == headline
    assert len(result) <= 120


# --- fingerprint ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        " date 2024-04-08 Café “talks” began.\r\n\r\nSecond para.".encode("utf-8"),
        b"\xef\xbb\xbf" + " date 2024-04-08 Café “talks” began.\n\nSecond para.\n".encode("utf-8"),
        " date 2024-04-08 Café “talks” began.   \n\n\n\nSecond para.\t\n".encode("utf-16"),
        " date 2024-04-08 Café “talks” began.\r\rSecond para.".encode("cp1252"),
        " date 2024-04-08 Cafe\u0301 “talks”\n  began.\n\nSecond para.".encode("utf-8"),
        " date 2024-04-08 CAFÉ “TALKS” BEGAN.\n\nSECOND PARA.".encode("utf-8"),
    ],
    ids=["crlf", "bom", "utf16-trailing-space", "cp1252-cr", "nfd-wrapped", "uppercase"],
)
def test_fingerprint_is_the_same_for_the_same_article(raw):
    expected = fingerprint_text("Café “talks” began.\n\nSecond para.")
    assert read_article(raw).fingerprint == expected


def test_fingerprint_is_sha256_of_folded_body():
    body = "Café Talks\n\nBegan."
    assert fingerprint_text(body) == hashlib.sha256("café talks began.".encode()).hexdigest()


def test_fingerprint_differs_for_different_text():
    assert fingerprint_text("Talks began.") != fingerprint_text("Talks ended.")


def test_reads_bytes_like_decoded_text():
    text = " date 2024-04-08 Café.\n\nHeading Here\n\nMore text."
    assert read_article(text.encode("utf-8")) == parse_article_text(text)


# --- seed files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, headings",
    [
        (
            "000_54d169e487e0cee8.txt",
            [
                "Strategic Consultations: A Closer Look",
                "Implications for Global Diplomacy",
                "Future Trajectory of Sino-Russian Relations",
            ],
        ),
        (
            "004_90fb6c69043197d8.txt",
            ["Deepening Diplomatic Ties", "Strategic Cooperation and Controversy", "Implications for Global Politics"],
        ),
    ],
)
def test_reads_seed_files_with_headings_as_paragraphs(name, headings):
    article = read_article((SEEDS / name).read_bytes())
    paragraphs = article.body.split("\n\n")
    assert article.date == datetime.date(2024, 4, 3)
    assert article.encoding == "utf-8"
    assert [p for p in paragraphs if is_heading(p)] == headings
    assert all(p in paragraphs for p in headings)
    assert not is_heading(paragraphs[0])


def test_seed_headline_is_first_sentence_cut_to_120():
    article = read_article((SEEDS / "000_54d169e487e0cee8.txt").read_bytes())
    assert article.body.startswith("High-level consultations between Chinese and Russian officials")
    assert article.headline == (
        "High-level consultations between Chinese and Russian officials centered on the "
        "United Nations Security Council (UNSC)…"
    )
    assert len(article.headline) <= 120
