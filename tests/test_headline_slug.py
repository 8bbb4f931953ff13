"""headline_slug gives what Django's slugify gives (cut to 80 characters), on every kind of headline."""

import random

from django.utils.text import slugify

from articles.models import headline_slug

HEADLINES = [
    "Talks resume in Geneva", "  Gas -- deal: Russia & Ukraine sign  ", "Zürich talks über Straße", "ﬁnal Œuvre",
    "北京 summit", "U.S.-China trade_talks", "__under_scores__", "---", "", "?!", "Ελλάδα και Κύπρος",
    "Café\u0301 au lait", "tab\tand\nnewline", "x" * 200, "word " * 40, "São Paulo: 2.5% growth", "İstanbul ǅemal",
    "Talks resume in Geneva after…", "Zürich…", "…\u0301é", "a…b",
]


def expected(headline: str) -> str:
    return slugify(headline)[:80].strip("-") or "article"


def test_known_headlines():
    for headline in HEADLINES:
        assert headline_slug(headline) == expected(headline), headline


def test_random_headlines():
    rng = random.Random(11)
    alphabet = "".join(map(chr, range(128))) + "aZ09 -_-- \u00e9\u00fc\u00df\u0301\u0130\u2013\u2014\u00a0\u4e2d\u0394\u00c6\ufb01\u2167\u2028\u2026\u2026"
    for _ in range(5000):
        headline = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        assert headline_slug(headline) == expected(headline), repr(headline)
