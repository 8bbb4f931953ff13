"""Compare Solr's analysis of text with Newsdesk's own (articles.search.analysis), token by token.

Each text goes through Solr's /analysis/field API with a field type of the configset and through
analyze(), and the two token streams are compared: term and position, and separately the
character span. As a command (needs the cluster scripts/with-solr starts):

    scripts/with-solr .venv/bin/python -m tests.solr.analysis_check [--show 5] [EXTRA_FILE_OR_DIR...]

prints the agreement per field type over the corpus (seed articles, tests/devset, tricky strings,
pycountry's place names, every character the fold table changes) plus any extra
.txt/.md/.rst/.py files given.
"""

import argparse
import os
import pathlib
import sys
from collections import Counter
from dataclasses import dataclass, field

from . import solr_http

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Strings where tokenizers, lower-casing, stemmers and accent folding tend to part ways.
TRICKY_TEXTS = {
    "accents": "Café, naïve, coöperate, résumé, Zürich, Bürgenstock, Erdoğan, São Paulo, Łódź, Dvořák, "
    "Søren Kierkegaard, Ångström, Straße, Æsir, Œuvre, Þór, İstanbul, Əliyev, ŞİŞLİ, Mærsk, Ĳssel, ǅemal",
    "abbreviations": "The U.S. and the U.K. met at 10.30 on 3.5.2024; e.g. i.e. Mr. Smith's plan. U.S.-led, "
    "U.N.-backed, the E.U.'s. a.b.c ...dots.. trailing. .leading x..y",
    "apostrophes": "Don't, can't, Macron's, leaders' and ‘quoted’ “double” rock’n’roll O'Neill d'Estaing l’Élysée",
    "hyphens": "ceasefire cease-fire self-determination 2023-24 anti-NATO pre-war — en–dash Jean-Luc Mélenchon",
    "digits": "1,000,000 3.14 2024-01-02 COVID-19 G7 G-20 F-35 5G 1st 2nd ½ ² ³ Ⅻ Ⅳ ١٢٣ ४५ ๓ 10km 4×4",
    "cjk": "习近平 中华人民共和国 東京 日本語のテキスト 한국어 문장 ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
    "combining": "Cafe\u0301 Zu\u0308rich man\u0303ana e\u0301le\u0300ve Ha\u030ce\u0301k i\u0307stanbul",
    "scripts": "ΟΔΟΣ Σίσυφος ΣΊΣΥΦΟΣ Москва Зеленский Україна محمد بن سلمان ירושלים हिन्दी ภาษาไทย",
    "stop words": "a b c I X the of and to in plan B is it at The President of the United States of America "
    "Will you, yet? TBD: US us Us",
    "underscores": "snake_case _private __init__ a_b _ __ x_1",
    "supplementary": "𝐁𝐨𝐥𝐝 𝐀 𠀀𠀁 𠜎 emoji 🙂 🇺🇦 not a word",
    "casing": "TURKISH dotless ı and İ; Kelvin K sign; Å angstrom sign; ǈ ǋ titlecase; ΣΑΣ ΣΑΣ. "
    "ΟΔΟΣ ΟΔΟΣ5 ΟΔΟΣ.ΑΒ ΟΔΟΣ_ ΟΔΟΣ.5 5Σ Α.Σ ΑΣ.Β οδοσ ΟΔΌΣ ﬁnal ﬀ Ⅻ ㎏ ＤＥＦ",
    "stemming": "escalated escalation escalating added adding hoped hopping filing agreed feed yelling "
    "relational conditional rational valenci digitizer conformabli radicalli differentli vileli "
    "analogousli vietnamization predication operator feudalism decisiveness hopefulness "
    "callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti "
    "electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable "
    "defensible irritant replacement adjustment dependent adoption homologou communism activate "
    "angulariti homologous effective bowdlerize probate rate cease controll roll sky yes y.",
}


def fold_table_text() -> str:
    """Every character the fold table changes, each inside words (single letters are left out)."""
    from articles.search.analysis import FOLD_TABLE

    return " ".join(f"ab{chr(code)}cd {chr(code)}{chr(code)}ing" for code in sorted(FOLD_TABLE))


def place_names_text() -> str:
    """pycountry's country and subdivision names: thousands of accented spellings."""
    import pycountry

    names = [country.name for country in pycountry.countries]
    names += [getattr(country, "official_name", "") for country in pycountry.countries]
    names += [subdivision.name for subdivision in pycountry.subdivisions]
    return "\n".join(name for name in names if name)


def corpus(extra_paths: list[pathlib.Path] = ()) -> dict[str, str]:
    """Name -> text of everything compared."""
    texts = {}
    for directory in (ROOT / "data" / "seeds", ROOT / "tests" / "devset"):
        for path in sorted(directory.glob("*.txt")):
            texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    texts.update({f"tricky: {name}": text for name, text in TRICKY_TEXTS.items()})
    texts["fold table characters"] = fold_table_text()
    texts["pycountry place names"] = place_names_text()
    for base in extra_paths:
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in paths:
            if path.is_file() and path.suffix in {".txt", ".md", ".rst", ".py"}:
                texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    return texts


@dataclass(frozen=True)
class AnalyzedToken:
    text: str
    position: int  # from 1, as Solr counts
    start: int  # code points into the text, as Python counts
    end: int

    @property
    def term(self) -> tuple[str, int]:
        return self.text, self.position


# Field type -> whether analyze() stems for it.
STEMMED = {"text_newsdesk": True, "text_spell": False}


def newsdesk_tokens(field_type: str, text: str) -> list[AnalyzedToken]:
    from articles.search.analysis import analyze

    return [
        AnalyzedToken(token.term, token.position + 1, token.start, token.end)
        for token in analyze(text, stemmed=STEMMED[field_type])
    ]


def _code_point_offsets(text: str) -> list[int]:
    # Solr counts offsets in UTF-16 units: "𝐀b" -> [0, 0, 1, 2] maps units 0..3 to code points.
    offsets = []
    for index, char in enumerate(text):
        offsets += [index] * (2 if ord(char) > 0xFFFF else 1)
    return offsets + [len(text)]


def solr_tokens(url: str, field_type: str, text: str, collection: str = "newsdesk") -> list[AnalyzedToken]:
    """The tokens the last stage of field_type's index analyzer produces for text."""
    answer = solr_http.post_form(
        url, f"{collection}/analysis/field", {"analysis.fieldtype": field_type, "analysis.fieldvalue": text}
    )
    stages = answer["analysis"]["field_types"][field_type]["index"]
    tokens = stages[-1] if isinstance(stages[-1], list) else []
    offsets = _code_point_offsets(text)
    return [
        AnalyzedToken(token["text"], token["position"], offsets[token["start"]], offsets[token["end"]])
        for token in tokens
    ]


@dataclass
class Agreement:
    """How far Solr's tokens agree with analyze()'s over a corpus."""

    texts: int = 0
    texts_identical: int = 0  # every term at the same position
    tokens: int = 0  # the longer of the two streams, summed over texts
    terms_identical: int = 0  # same term at the same position
    spans_identical: int = 0  # and the same character span
    differences: dict[str, list[tuple[AnalyzedToken | None, AnalyzedToken | None]]] = field(default_factory=dict)

    def add(self, name: str, expected: list[AnalyzedToken], solr: list[AnalyzedToken]) -> None:
        self.texts += 1
        self.tokens += max(len(expected), len(solr))
        self.terms_identical += sum((Counter(t.term for t in expected) & Counter(t.term for t in solr)).values())
        self.spans_identical += sum((Counter(expected) & Counter(solr)).values())
        if [t.term for t in expected] == [t.term for t in solr]:
            self.texts_identical += 1
        else:
            self.differences[name] = term_differences(expected, solr)

    def summary(self, field_type: str) -> str:
        def percent(count: int) -> str:
            return f"{100 * count / self.tokens if self.tokens else 100:.3f}%"

        return (
            f"{field_type}: {self.terms_identical} of {self.tokens} tokens identical in term and position "
            f"({percent(self.terms_identical)}), {self.spans_identical} also in character span "
            f"({percent(self.spans_identical)}); {self.texts_identical} of {self.texts} texts identical"
        )


def term_differences(expected: list[AnalyzedToken], solr: list[AnalyzedToken]):
    """(analyze() token, Solr token) pairs at each position where the terms differ."""
    by_position_e = {token.position: token for token in expected}
    by_position_s = {token.position: token for token in solr}
    positions = sorted(set(by_position_e) | set(by_position_s))
    pairs = [(by_position_e.get(position), by_position_s.get(position)) for position in positions]
    return [(e, s) for e, s in pairs if (e and e.text) != (s and s.text)]


def measure(url: str, texts: dict[str, str], field_types: list[str]) -> dict[str, Agreement]:
    results = {}
    for field_type in field_types:
        agreement = Agreement()
        for name, text in texts.items():
            agreement.add(name, newsdesk_tokens(field_type, text), solr_tokens(url, field_type, text))
        results[field_type] = agreement
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description="Compare Solr's analysis with articles.search.analysis.")
    parser.add_argument("extra", nargs="*", type=pathlib.Path, help="more files or directories to compare")
    parser.add_argument("--show", type=int, default=5, help="differing tokens to print per text")
    args = parser.parse_args()
    urls = [url for url in os.environ.get("NEWSDESK_SEARCH_URL", "").split(",") if url]
    if not urls:
        print("needs a SolrCloud: run under scripts/with-solr (NEWSDESK_SEARCH_URL)", file=sys.stderr)
        return 2
    texts = corpus(args.extra)
    results = measure(urls[0], texts, list(STEMMED))
    for field_type, agreement in results.items():
        print(agreement.summary(field_type))
        for name, pairs in list(agreement.differences.items())[: args.show]:
            print(f"  {name}:")
            for expected, solr in pairs[: args.show]:
                print(f"    analyze() {expected}  solr {solr}")
    return 0 if all(agreement.differences == {} for agreement in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
