"""Organisation patterns beyond the gazetteer: ministries, "<Name> Council", "(ACRONYM)"."""

import re

from .lexicon import (
    COMPASS, COMPLEMENT_STARTS, CONNECTORS, COUNTRY, FUNCTION_WORDS, NOT_ORGANISATIONS,
    ORGANISATION, ORGANISATION_HEADS, PLURAL_POSSESSORS, Entry, Gazetteer, words,
)
from .companies import SUFFIXES
from .tokens import Token, is_contiguous

# Words naming a ministry's portfolio: "Foreign", "Emergency Situations", "Defence".
DEPARTMENTS = words("""
    Foreign Affairs Defence Defense Interior Internal Home Finance Economy Economic Trade
    Commerce Industry Justice Health Energy Education Agriculture Environment Emergency
    Emergencies Situations Culture Labour Labor Transport Digital Development Information
    Intelligence Security Public State National External Science Technology Natural
    Resources Water Oil Petroleum Mines Mining Housing Social Welfare Tourism Communications
    Telecommunications Infrastructure Planning Unification Fisheries Ecology Climate Family
    Women Youth Sports Religious Veterans Strategic Investment Treasury Refugees Reconstruction
    Territories Reintegration Economics Industries
""")
_DEPARTMENT_NAMES = {"Foreign Affairs": "Foreign", "Defense": "Defence", "Home Affairs": "Home",
                     "Internal Affairs": "Interior"}
_ACRONYM_RE = re.compile(r"[A-Z][A-Za-z&]*[A-Z0-9]\+?")
_MAX_PHRASE = 10
# Heads whose name may end with where they serve: "Interim Force in Lebanon".
_PLACED_HEADS = frozenset(("Mission", "Force", "Office"))


def department_name(parts: list[str]) -> str:
    """Return the usual name of a portfolio: ["Foreign", "Affairs"] -> "Foreign"."""
    name = " ".join(part for part in parts if part not in ("and", "the"))
    return _DEPARTMENT_NAMES.get(name, name.replace("Defense", "Defence"))


def ministry_at(tokens: list[Token], words: list[str], i: int,
                gazetteer: Gazetteer) -> tuple[int, str, str, int] | None:
    """Match a ministry at token i: (length, portfolio, owner country or "", demonym length).

    "Russian Foreign Ministry" -> (3, "Foreign", "Russia", 1);
    "Ministry of Foreign Affairs of China" -> (6, "Foreign", "China", 0).
    """
    if not tokens[i].is_capitalised:
        return None
    owner, owner_length, j = "", 0, i
    found = gazetteer.match(words, i)
    if found and found[1].kind == COUNTRY and found[1].role == "demonym":
        owner_length, owner = found[0], found[1].name
        j = i + owner_length
    portfolio = _run(tokens, j, lambda word: word in DEPARTMENTS)
    if portfolio and _word(tokens, j + len(portfolio)) == "Ministry":
        return j + len(portfolio) + 1 - i, department_name(portfolio), owner, owner_length
    if owner or _word(tokens, i) != "Ministry" or _word(tokens, i + 1) != "of":
        return None
    j = i + 2
    portfolio = _run(tokens, j, lambda word: word in DEPARTMENTS or word in ("and", "the"))
    if not portfolio:
        return None
    j += len(portfolio)
    if _word(tokens, j) == "of":
        found = gazetteer.match(words, j + 1)
        if found and found[1].kind == COUNTRY and found[1].role == "name":
            return j + 1 + found[0] - i, department_name(portfolio), found[1].name, 0
    return j - i, department_name(portfolio), "", 0


def organisation_phrase_at(tokens: list[Token], i: int) -> int:
    """Return the length of a named organisation at token i, or 0.

    The name runs over capitalised words and ends at an organisation word
    ("Carter Center", "Taiwan Affairs Office"), optionally followed by a
    complement ("Alliance of Sahel States", "Council on Foreign Relations").
    """
    if not (_phrase_word(tokens[i]) or _new_name(tokens, i)):
        return 0  # "New" starts a name only before another capitalised word: "New York Stock Exchange"
    last_head = i if tokens[i].text in ORGANISATION_HEADS else -1
    complement, joined = False, 0
    j = i + 1
    while j < len(tokens) and j - i < _MAX_PHRASE and _continues(tokens, j):
        word = tokens[j].text
        if word == "in" and last_head >= 0 and tokens[last_head].text in _PLACED_HEADS:
            word = "of"  # "UN Verification Mission in Colombia" names a body like "of" would
        if word in CONNECTORS or word == "'s":
            if word == "'s":
                allowed = tokens[j - 1].text in PLURAL_POSSESSORS
            elif word in COMPLEMENT_STARTS:
                allowed = last_head >= 0
                complement = complement or allowed
            elif word == "and" and not complement:  # "Monopolies and Mergers Commission"
                allowed = j == i + 1
                joined = j if allowed else joined
            else:  # "and"/"the" only inside a complement: "Ministry of Trade and Industry"
                allowed = complement
            if not (allowed and j + 1 < len(tokens) and _continues(tokens, j + 1)
                    and (_phrase_word(tokens[j + 1]) or tokens[j + 1].text == "the")):
                break
        elif not _phrase_word(tokens[j]):
            break
        elif word in ORGANISATION_HEADS:
            last_head = j
            if word in SUFFIXES:
                j += 1
                break  # "Kia Motor Corp of South Korea": a legal form ends the name
        j += 1
    if joined and last_head < joined:
        j, last_head = joined, i if tokens[i].text in ORGANISATION_HEADS else -1  # "West Bank and Gaza"
    if last_head < 0:
        return 0
    end = last_head + 1
    if end < j and (tokens[end].text in CONNECTORS or tokens[end].text == "in"):
        end = j  # keep the complement: "Council on Foreign Relations"
    while tokens[end - 1].text in CONNECTORS:
        end -= 1
    names = [token.text for token in tokens[i:end]]
    if len(names) < 2 or all(name in COMPASS or name in ORGANISATION_HEADS for name in names):
        return 0
    if names[-1] == "Administration" and len(names) == 2:
        return 0  # "the Clinton Administration" is a president's government, named after him
    return end - i


def _phrase_word(token: Token) -> bool:
    """Tell whether a token can be a word of an organisation's name ("Russian-led" cannot)."""
    last_part = token.text.rsplit("-", 1)[-1]
    return token.is_capitalised and token.text not in FUNCTION_WORDS and not last_part.islower()


def _new_name(tokens: list[Token], i: int) -> bool:
    """Tell whether "New" at token i starts a name: "New York", "New Zealand"."""
    return tokens[i].text == "New" and i + 1 < len(tokens) and _continues(tokens, i + 1) \
        and _phrase_word(tokens[i + 1])


def party_at(tokens: list[Token], i: int, gazetteer: Gazetteer) -> int:
    """Return the length of a party named before a lower-case "party" ("Georgian Dream party")."""
    if tokens[i].text in FUNCTION_WORDS or not tokens[i].is_capitalised:
        return 0
    j = i + 1
    while j < len(tokens) and j - i < 4 and tokens[j].is_capitalised and _continues(tokens, j):
        j += 1
    if _word(tokens, j) != "party" or not is_contiguous(tokens[j]):
        return 0
    found = gazetteer.match([token.text for token in tokens[i:j]], 0)
    if found and found[0] == j - i:
        return 0  # "the Russian party" names no party
    return j - i


def acronym_definitions(tokens: list[Token],
                        gazetteer: Gazetteer) -> tuple[dict[tuple[str, ...], Entry], set[int]]:
    """Find "Long Name (ACRONYM)" pairs; return lookup entries and the acronym token indexes.

    "National Electoral Council (CNE)" -> {("National", "Electoral", "Council"): e, ("CNE",): e}
    """
    entries: dict[tuple[str, ...], Entry] = {}
    acronyms: set[int] = set()
    for i, token in enumerate(tokens):
        if not (_ACRONYM_RE.fullmatch(token.text) and token.gap.endswith("(") and _closes(tokens, i)):
            continue
        phrase = _expansion(tokens, i, gazetteer)
        if not phrase:
            continue
        name = " ".join(phrase).replace(" 's", "'s")
        entry = gazetteer.entries.get(phrase) or Entry(ORGANISATION, name, "name")
        if entry.kind:
            entries.setdefault(phrase, entry)
            entries.setdefault((token.text,), entry)
            acronyms.add(i)
    return entries, acronyms


def _expansion(tokens: list[Token], i: int, gazetteer: Gazetteer) -> tuple[str, ...] | None:
    """Return the name an acronym at token i spells out, or None.

    The name is a gazetteer entry, an organisation phrase ending right before the
    parenthesis, or capitalised words whose initials spell the acronym
    ("Integrated Food Security Phase Classification (IPC)").
    """
    earliest = max(0, i - _MAX_PHRASE)
    while tokens[earliest].paragraph != tokens[i].paragraph:
        earliest += 1
    for start in range(earliest, i - 1):
        phrase = tuple(token.text for token in tokens[start:i])
        if not all(_continues(tokens, k) for k in range(start + 1, i)):
            continue
        if phrase in gazetteer.entries or organisation_phrase_at(tokens, start) == i - start:
            return phrase
        if _spells(tokens[i].text, tokens[start:i]):
            return phrase
    return None


def _spells(acronym: str, tokens: list[Token]) -> bool:
    """Tell whether capitalised words spell an acronym: first letter first, the rest in order."""
    if not _phrase_word(tokens[0]) or any(t.text in NOT_ORGANISATIONS for t in tokens):
        return False
    if any(not _phrase_word(t) and t.text not in CONNECTORS for t in tokens):
        return False
    initials = "".join(t.text[0] for t in tokens if t.is_capitalised)
    letters = [c for c in acronym if c.isupper()]
    if len(initials) < 2 or not letters or initials[0] != letters[0]:
        return False
    remaining = iter(initials[1:])
    return all(letter in remaining for letter in letters[1:])


def _closes(tokens: list[Token], i: int) -> bool:
    """Tell whether a ")" follows token i."""
    return i + 1 == len(tokens) or tokens[i + 1].gap.startswith(")")


def _continues(tokens: list[Token], j: int) -> bool:
    """Tell whether token j continues the phrase before it (same sentence, only spacing).

    A plural possessive or an ampersand joins too: "Bond Traders' Association", "Marks & Spencer".
    """
    return (is_contiguous(tokens[j]) or tokens[j].gap.strip() in ("'", "&")) and not tokens[j].sentence_start


def _run(tokens: list[Token], j: int, accept) -> list[str]:
    """Return the words from j on that ``accept`` takes, stopping at punctuation."""
    run = []
    while j < len(tokens) and accept(tokens[j].text) and (not run or _continues(tokens, j)):
        run.append(tokens[j].text)
        j += 1
    while run and run[-1] in ("and", "the"):
        run.pop()
    return run


def _word(tokens: list[Token], j: int) -> str:
    """Return the text of token j, or "" past the end."""
    return tokens[j].text if 0 <= j < len(tokens) else ""
