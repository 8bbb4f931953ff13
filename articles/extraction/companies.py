"""Companies named with a legal form, and the short names the article then uses for them.

    "Cofinec S.A." ... "Cofinec"                      -> Cofinec S.A.
    "Schroder Wertheim & Co"                         -> Schroder Wertheim & Co
    "Kia Motor Corp of South Korea" ... "Kia"         -> Kia Motor Corp
    "PT Timor Putra Nasional" ... "Timor Putra Nasional" -> PT Timor Putra Nasional

Found before the left-to-right scan, as lookup entries: every later use of the name,
whole or short, is then the same organisation, never a person.
"""

from .given_names import is_given_name
from .lexicon import ADJECTIVE_ENDS, FUNCTION_WORDS, NOT_NAMES, ORGANISATION, Entry, Gazetteer, words
from .tokens import Token, is_contiguous

# Legal forms written after a company's name, with and without full stops.
SUFFIXES = words("""
    Co Cos Corp Inc Ltd Plc PLC LLC SA S.A. AG A.G. AB NV N.V. BV B.V. SpA GmbH Bhd Tbk ASA
    Oyj KK SE SAS Srl
""")
# Legal forms written before it: "PT Timor Putra Nasional", "OAO Gazprom".
PREFIXES = words("PT OAO ZAO PJSC JSC OOO")
_MAX_WORDS = 3


def company_entries(tokens: list[Token], gazetteer: Gazetteer) -> dict[tuple[str, ...], Entry]:
    """Return lookup entries for companies named with a legal form, and for their short names."""
    entries: dict[tuple[str, ...], Entry] = {}
    for k, token in enumerate(tokens):
        if token.text in SUFFIXES and k and _joined(tokens, k):
            start = k
            while start > 0 and k - start < _MAX_WORDS and _joined(tokens, start) \
                    and _name_word(tokens[start - 1].text):
                start -= 1
            while start < k and tokens[start].text in FUNCTION_WORDS | {"'s"}:
                start += 1
            start = _known_start(tokens, start, k, gazetteer)
            name = tuple(t.text for t in tokens[start:k])
            full, span = name + (token.text,), (start, k + 1)
        elif token.text in PREFIXES and k + 1 < len(tokens) and _joined(tokens, k + 1):
            end = k + 1
            while end < len(tokens) and end - k <= _MAX_WORDS and _name_word(tokens[end].text) \
                    and _joined(tokens, end):
                end += 1
            name = tuple(t.text for t in tokens[k + 1:end])
            full, span = (token.text, *name), (k, end)
        else:
            continue
        known = gazetteer.match(list(full), 0)
        if not name or name[0] == "'s" or (known and known[0] == len(full)):
            continue
        known = gazetteer.match(list(name), 0)
        if known and known[1].kind == ORGANISATION:
            entry = known[1]  # "Kia Motor Corp" is the Kia the gazetteer knows
        else:
            entry = entries.get(full) or Entry(ORGANISATION, _display(tokens, *span), "name")
        forms = [full]
        if len(name) > 1 or name[0] not in NOT_NAMES:
            forms.append(name)
        if len(name) > 1 and _short_name(name[0], gazetteer):
            forms.append(name[:1])
        for form in forms:
            entries.setdefault(form, entry)
    return entries


def _known_start(tokens: list[Token], start: int, end: int, gazetteer: Gazetteer) -> int:
    """Move the start of a name to a known organisation ending it: "Underwriter Bear Stearns" -> "Bear Stearns"."""
    words_ = [t.text for t in tokens[start:end]]
    for offset in range(1, len(words_)):
        found = gazetteer.match(words_, offset)
        if found and found[0] == len(words_) - offset and found[1].kind == ORGANISATION:
            return start + offset
    return start


def _joined(tokens: list[Token], k: int) -> bool:
    """Tell whether token k continues the name before it: spacing, or " & " ("Schroder Wertheim & Co")."""
    return not tokens[k].sentence_start and (is_contiguous(tokens[k]) or tokens[k].gap.strip() == "&")


def _name_word(text: str) -> bool:
    """Tell whether a word can be part of a company's name ("Boatmen", "'s", not "Louis-based")."""
    if text == "'s":
        return True
    ending = text.rsplit("-", 1)[-1] if "-" in text else ""
    if ending.islower() and (ending.endswith("ed") or ending in ADJECTIVE_ENDS):
        return False
    return text[:1].isupper() and text not in FUNCTION_WORDS and text not in SUFFIXES


def _short_name(word: str, gazetteer: Gazetteer) -> bool:
    """Tell whether the first word of a company's name can stand for it alone ("Kia", not "General")."""
    return len(word) >= 3 and word not in NOT_NAMES and not is_given_name(word) \
        and (word,) not in gazetteer.entries and not word.isupper()


def _display(tokens: list[Token], start: int, end: int) -> str:
    """Join a name's words as the text writes them: "Schroder Wertheim & Co", "Boatmen's Bancshares Inc"."""
    text = tokens[start].text
    for token in tokens[start + 1:end]:
        text += token.text if token.text == "'s" else (" & " if "&" in token.gap else " ") + token.text
    return text
