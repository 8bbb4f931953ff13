"""Solr's analysis of text beside Newsdesk's (articles/search/analysis.py), token by token.

Each text goes through the collection's /analysis/field API (the index analyzer of text_newsdesk
and text_spell) and through analysis.analyze; the streams are compared term, position and span.
As a command, on the cluster scripts/with-solr starts, it prints the agreement:

    scripts/with-solr .venv/bin/python -m tests.solr.analysis_agreement [--show 10]
"""

import argparse
import dataclasses
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Where tokenizers, lower-casing, stemmers and folding part ways.
TRICKY_TEXTS = {
    "accents": "Café, naïve, coöperate, résumé, Zürich, Bürgenstock, Erdoğan, São Paulo, Łódź, Dvořák, Søren, "
               "Ångström, Straße, Æsir, Œuvre, Þór, İstanbul, Əliyev, ŞİŞLİ, Mærsk, Ĳssel, ǅemal, ﬁnal ﬂow",
    "abbreviations": "The U.S. and the U.K. met at 10.30 on 3.5.2024; e.g. i.e. Mr. Smith's plan. U.S.-led, "
                     "U.N.-backed, the E.U.'s. a.b.c ...dots.. trailing. .leading x..y x.of of.x a.of.b",
    "apostrophes": "Don't, can't, Macron's, leaders' and ‘quoted’ “double” rock’n’roll O'Neill d'Estaing l’Élysée",
    "hyphens": "ceasefire cease-fire self-determination 2023-24 anti-NATO pre-war — en–dash Jean-Luc Mélenchon",
    "digits": "1,000,000 3.14 2024-01-02 COVID-19 G7 G-20 F-35 5G 1st 2nd ½ ² ³ Ⅻ Ⅳ ١٢٣ ४५ ๓ 10km 4×4 ①② ㊀",
    "cjk": "习近平 中华人民共和国 東京 日本語のテキスト 한국어 문장 ｆｕｌｌｗｉｄｔｈ ＡＢＣ ｶﾀｶﾅ が か\u3099",
    "combining": "Cafe\u0301 Zu\u0308rich man\u0303ana e\u0301le\u0300ve Ha\u030ce\u0301k i\u0307stanbul x\u20dd",
    "scripts": "ΟΔΟΣ Σίσυφος ΣΊΣΥΦΟΣ Москва Зеленский Україна محمد بن سلمان ירושלים हिन्दी ภาษาไทย ქართული",
    "final sigma": "ΟΔΥΣΣΕΥΣ ΣΑΣ ΣΑΣ. ΑΣ.ΒΣ Σ ΣΣ ΑΣ1 1Σ ΑΣ_ ΑΣʹ ΑʹΣ ΑΣΑ σΣ Σσ ΟΔΟΣ's",
    "stop words": "a b c I X the of and to in plan B is it at The President of the United States of America "
                  "Will you, yet? TBD: US us Us THE Of tHe power of siberia Power Of Siberia",
    "underscores": "snake_case _private __init__ a_b _ __ x_1 ＿ ‿tie‿",
    "supplementary": "𝐁𝐨𝐥𝐝 𝐀 𠀀𠀁 𠀀 𠜎 emoji 🙂 🇺🇦 ❤️ 👍🏽 not a word 𝟘𝟙",
    "casing": "TURKISH dotless ı and İ; Kelvin K sign; Å angstrom sign; ǈ ǋ titlecase; ß ẞ ſ long s",
    "joiners": "zero\u200bwidth zero\u200cnon\u200djoiner soft\u00adhyphen word\ufe0fselector",
    "stemming": "escalated escalation escalating added adding hoped hopping filing agreed feed yelling "
                "relational conditional rational valenci digitizer conformabli radicalli differentli vileli "
                "analogousli vietnamization predication operator feudalism decisiveness hopefulness "
                "callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti "
                "electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable "
                "defensible irritant replacement adjustment dependent adoption homologou communism activate "
                "angulariti homologous effective bowdlerize probate rate cease controll roll sky yes y. "
                "sanctions sanctioned pipelines negotiations generously dying lying ties skies news",
}


def fold_table_text() -> str:
    """Every character FOLD_TABLE folds, inside a word and doubled (a single letter is left out)."""
    from articles.search.analysis import FOLD_TABLE

    return " ".join(f"ab{chr(code)}cd {chr(code)}{chr(code)}ing" for code in sorted(FOLD_TABLE))


def place_names_text() -> str:
    """pycountry's country and subdivision names: thousands of accented spellings."""
    import pycountry

    names = [country.name for country in pycountry.countries]
    names += [getattr(country, "official_name", "") for country in pycountry.countries]
    names += [subdivision.name for subdivision in pycountry.subdivisions]
    return "\n".join(name for name in names if name)


def corpus() -> dict[str, str]:
    """Name -> text of everything compared: seed articles, the devset, tricky strings, folded characters, places."""
    texts = {}
    for directory in (ROOT / "data" / "seeds", ROOT / "tests" / "devset"):
        for path in sorted(directory.glob("*.txt")):
            texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    texts.update({f"tricky: {name}": text for name, text in TRICKY_TEXTS.items()})
    texts["every folded character"] = fold_table_text()
    texts["pycountry place names"] = place_names_text()
    return texts


@dataclasses.dataclass(frozen=True)
class Comparison:
    name: str
    field_type: str
    solr: list[tuple]  # (term, position, start, end), positions from 0, spans in code points
    newsdesk: list[tuple]

    @property
    def agrees(self) -> bool:
        return self.solr == self.newsdesk

    @property
    def same_tokens(self) -> int:
        return sum(a == b for a, b in zip(self.solr, self.newsdesk))

    def first_difference(self) -> str:
        for index, (a, b) in enumerate(zip(self.solr, self.newsdesk)):
            if a != b:
                return f"token {index}: Solr {a} / Newsdesk {b}"
        return f"Solr has {len(self.solr)} tokens, Newsdesk {len(self.newsdesk)}"


FIELD_TYPES = {"text_newsdesk": True, "text_spell": False}  # field type -> stemmed


def newsdesk_tokens(text: str, stemmed: bool) -> list[tuple]:
    from articles.search.analysis import analyze

    return [(token.term, token.position, token.start, token.end) for token in analyze(text, stemmed=stemmed)]


def solr_tokens(engine, field_type: str, text: str) -> list[tuple]:
    """The index analyzer's final tokens, positions from 0, Java's UTF-16 spans as code point spans."""
    answer = engine.client.post(f"{engine.alias}/analysis/field", data={
        "analysis.fieldtype": field_type, "analysis.fieldvalue": text, "wt": "json"})
    stages = answer["analysis"]["field_types"][field_type]["index"]
    final = stages[-1]  # [name, tokens, name, tokens, ...]: the last stage's tokens
    code_point_at = _utf16_to_code_points(text)
    return [(token["text"], token["position"] - 1, code_point_at[token["start"]], code_point_at[token["end"]])
            for token in final]


def _utf16_to_code_points(text: str) -> list[int]:
    """offsets[i]: the code point index of UTF-16 offset i (and one past the end)."""
    offsets = []
    for index, char in enumerate(text):
        offsets.extend([index] * (2 if ord(char) > 0xFFFF else 1))
    offsets.append(len(text))
    return offsets


def compare_all(engine, texts: dict[str, str]) -> list[Comparison]:
    return [
        Comparison(name, field_type, solr_tokens(engine, field_type, text), newsdesk_tokens(text, stemmed))
        for field_type, stemmed in FIELD_TYPES.items()
        for name, text in texts.items()
    ]


def summary(comparisons: list[Comparison]) -> str:
    lines = []
    for field_type in FIELD_TYPES:
        chosen = [c for c in comparisons if c.field_type == field_type]
        tokens = sum(len(c.newsdesk) for c in chosen)
        same = sum(c.same_tokens for c in chosen if len(c.solr) == len(c.newsdesk))
        agreeing = sum(c.agrees for c in chosen)
        lines.append(f"{field_type}: {agreeing} of {len(chosen)} texts identical; "
                     f"{same} of {tokens} tokens identical (term, position, span)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="differing texts to describe")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from articles.search.engines import engine

    comparisons = compare_all(engine(), corpus())
    print(summary(comparisons))
    for comparison in [c for c in comparisons if not c.agrees][:args.show]:
        print(f"  {comparison.field_type} {comparison.name}: {comparison.first_difference()}")
    return 0 if all(c.agrees for c in comparisons) else 1


if __name__ == "__main__":
    sys.exit(main())
