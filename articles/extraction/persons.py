"""Find people: names after a title, names in reporting phrases, then their short forms."""

import re
from collections.abc import Sequence

from .lexicon import (
    ADJECTIVE_ENDS, FOREIGN_ARTICLES, NAME_SUFFIXES, NOT_NAMES, ORGANISATION_HEADS, PARTICLES, PERSON, PLACE_WORDS, ROMAN_NUMERALS,
    STRONG_PARTICLES, Gazetteer, Mention, words,
)
from .given_names import is_given_name
from .tokens import Token, fold, is_contiguous

# The last word of a title or role before a name: "Foreign Minister", "spokeswoman".
TITLES = words("""
    president president-elect minister premier chancellor secretary secretary-general
    spokesman spokeswoman spokesperson ambassador envoy general colonel lieutenant commander
    admiral marshal captain sergeant king queen prince princess emir sheikh sultan pope
    cardinal ayatollah imam rabbi archbishop bishop senator congressman congresswoman
    lawmaker governor mayor judge justice prosecutor chairman chairwoman chairperson chair
    ceo founder director director-general head chief leader counterpart candidate activist
    laureate journalist reporter correspondent editor lawyer dissident blogger analyst
    economist professor researcher negotiator adviser advisor aide councilor councillor
    representative commissioner rapporteur speaker mp diplomat successor predecessor
    brother sister son daughter wife husband widow mother father cousin nephew niece
    executive officer boss owner nominee
""")
ABBREVIATED_TITLES = words("Mr Mrs Ms Dr Gen Lt Col Sen Rep Gov Prof Adm Sgt Capt Maj Pres")
REPORTING_VERBS = words("""
    said says told added warned noted argued wrote stated announced insisted urged explained
    declared claimed replied denied acknowledged confirmed stressed asked accused praised
    criticised criticized described admitted posted suggested tweeted vowed pledged called
    responded countered conceded cautioned predicted recalled met visited signed resigned
    arrived spoke died won promised threatened ordered demanded rejected welcomed thanked
    congratulated
""")
# Words after "Name, ..." that show the name is a person's: "Simon Stiell, executive secretary".
ROLE_WORDS = TITLES | words("delegate member executive officer official expert fellow scholar "
                            "mother father wife husband son daughter owner deputy nominee "
                            "frontrunner challenger incumbent winner veteran citizen national "
                            "resident native")
# Portfolio words after "Secretary of" / "Minister for": "Secretary of State Antony Blinken".
PORTFOLIO = words("State Foreign Affairs Defence Defense Finance Trade Interior Home Justice "
                  "Health Energy Economy Commerce External Internal Security the")
# Title words that also occur inside names.
INNER_TITLES = words("Sheikh Sheik")
_INITIAL = re.compile(r"[A-Z]\.")
_ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|as|ash|an|ar|at|az)-[A-Z]\w+")
_MAX_NAME_WORDS = 4


def person_mentions(tokens: list[Token], claimed: list[bool], gazetteer: Gazetteer,
                    known: Sequence[Mention] = ()) -> list[Mention]:
    """Return every mention of a person, full names and short forms under one canonical name.

    ``known`` are people already found by other means (an editor's registry); their
    short forms count too: "Mahsa Amini" ... "Amini".
    """
    found = _titled_names(tokens, claimed, gazetteer)
    found += _reported_names(tokens, claimed, gazetteer)
    found += known
    canonical = _canonical_names([tuple(_name_words(tokens, m)) for m in found])
    for mention in found:
        mention.name = canonical[tuple(_name_words(tokens, mention))]
    return found + _short_forms(tokens, claimed, gazetteer, sorted(set(canonical.values())), found)


def _titled_names(tokens, claimed, gazetteer) -> list[Mention]:
    """Find names right after a title: "Foreign Minister Sergei Lavrov", "King Abdullah II"."""
    mentions = []
    for k, token in enumerate(tokens):
        if token.heading or claimed[k] or not _is_title(token.text):
            continue
        if token.text in INNER_TITLES and _single_name_follows(tokens, k + 1):
            j = k  # "Sheikh Hasina"
        else:
            j = _after_title(tokens, k, claimed)
        end = name_end(tokens, j, claimed, gazetteer) if j < len(tokens) else None
        if end and not any(claimed[j:end]):
            mentions.append(_mention(tokens, j, end))
            _claim(claimed, mentions[-1])
    return mentions


def _after_title(tokens: list[Token], k: int, claimed: list[bool]) -> int:
    """Return where the name starts after the title at k, skipping complements and titles."""
    j, comma_allowed = k + 1, True
    while j < len(tokens):
        gap = tokens[j].gap
        if tokens[j].sentence_start and not (tokens[j - 1].text in ABBREVIATED_TITLES and gap == ". "):
            return len(tokens)
        if gap.strip() == "," and comma_allowed:
            comma_allowed = False
        elif not is_contiguous(tokens[j]) and gap != ". ":
            return len(tokens)
        word = tokens[j].text
        skipped = _complement_before_comma(tokens, j, claimed) if word in ("of", "for") else 0
        if skipped and comma_allowed:
            j += skipped  # "special representative for Central Asia, Terhi Hakala"
            continue
        if word in ("of", "for") and j + 1 < len(tokens) and tokens[j + 1].text in PORTFOLIO:
            j += 1
            while j < len(tokens) and tokens[j].text in PORTFOLIO:
                j += 1
            continue
        if word == "to" and j + 2 < len(tokens) and tokens[j + 1].text == "the" and claimed[j + 2]:
            j += 2
            while j < len(tokens) and claimed[j]:
                j += 1
            continue
        if word == "in" and j + 1 < len(tokens) and claimed[j + 1]:
            j += 1  # "The US ambassador in Manila, MaryKay Carlson"
            while j < len(tokens) and claimed[j]:
                j += 1
            continue
        if word in INNER_TITLES and _single_name_follows(tokens, j + 1):
            return j  # "Sheikh Hasina": the title word is part of a one-word name
        if _is_title(word) and word[:1].isupper():
            j += 1
            continue
        return j
    return j


def _complement_before_comma(tokens: list[Token], j: int, claimed: list[bool]) -> int:
    """Return the length of "of/for [the] <Capitalised words>" ending right before a comma, else 0."""
    k = j + 1 + (j + 1 < len(tokens) and tokens[j + 1].text == "the")
    end = k
    while end < len(tokens) and end - k < 4 and is_contiguous(tokens[end]) \
            and (claimed[end] or tokens[end].text[:1].isupper()):
        end += 1
    if end == k or end >= len(tokens) or tokens[end].gap.strip() != ",":
        return 0
    return end - j


def _single_name_follows(tokens: list[Token], j: int) -> bool:
    """Tell whether exactly one capitalised name word follows at j ("Sheikh Hasina resigned")."""
    if j >= len(tokens) or not is_contiguous(tokens[j]) or not tokens[j].text[:1].isupper():
        return False
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    return not (following and is_contiguous(following) and not following.sentence_start
                and (following.text[:1].isupper() or following.text in PARTICLES
                     or _ARABIC_ARTICLE.fullmatch(following.text)))


def _reported_names(tokens, claimed, gazetteer) -> list[Mention]:
    """Find untitled names of two or more words that the context shows are people.

    "said Maria Zakharova", "Scholz told", "Simon Stiell, executive secretary of",
    "Ursula von der Leyen", a name whose last word recurs on its own later, or one
    that starts with a common given name ("Eddie Chu was elected").
    """
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.is_capitalised:
            positions.setdefault(token.text, []).append(i)
    mentions, k = [], 0
    while k < len(tokens):
        end = None if tokens[k].heading or claimed[k] else name_end(tokens, k, claimed, gazetteer)
        if not end or sum(t.text[:1].isupper() for t in tokens[k:end]) < 2:
            k += 1
            continue
        if _reported(tokens, k, end) or _recurs(tokens, k, end, claimed, positions) \
                or is_given_name(tokens[k].text):
            mentions.append(_mention(tokens, k, end))
            _claim(claimed, mentions[-1])
        k = end
    return mentions


def name_end(tokens: list[Token], j: int, claimed: list[bool], gazetteer: Gazetteer) -> int | None:
    """Return the index after a personal name starting at token j, or None."""
    end, capitals, k = None, 0, j
    while k < len(tokens) and capitals < _MAX_NAME_WORDS and not claimed[k]:
        word = tokens[k].text
        if k > j and (not is_contiguous(tokens[k]) or tokens[k].sentence_start):
            break
        if _INITIAL.fullmatch(word):
            pass
        elif k == j and word in INNER_TITLES and _single_name_follows(tokens, k + 1):
            capitals = 1  # "Sheikh Hasina"
        elif (word in PARTICLES or word in FOREIGN_ARTICLES) and capitals:
            pass
        elif (word in ROMAN_NUMERALS or word in NAME_SUFFIXES) and capitals:
            capitals, end = capitals + 1, k + 1
        elif word in INNER_TITLES and capitals and k + 1 < len(tokens) and is_contiguous(tokens[k + 1]) \
                and is_name_word(tokens[k + 1].text, gazetteer):
            pass  # "Hassan Sheikh Mohamud": a title word inside the name
        elif is_name_word(word, gazetteer):
            capitals, end = capitals + 1, k + 1
        else:
            break
        k += 1
    return end


def is_name_word(word: str, gazetteer: Gazetteer) -> bool:
    """Tell whether a word can be part of a personal name ("Erdoğan" yes, "Ministry" no)."""
    if _ARABIC_ARTICLE.fullmatch(word):
        return True
    ending = word.rsplit("-", 1)[-1] if "-" in word else ""
    if ending.islower() and (ending.endswith("ed") or ending in ADJECTIVE_ENDS):
        return False  # "Ontario-based", "Family-controlled"
    return (word[:1].isupper() and word not in FOREIGN_ARTICLES and not (word.isupper() and len(word) > 1)
            and not any(char.isdigit() for char in word)
            and word not in NOT_NAMES and word not in ORGANISATION_HEADS
            and not _is_title(word) and not getattr(gazetteer.entries.get((word,)), "kind", ""))


def _reported(tokens: list[Token], k: int, end: int) -> bool:
    """Tell whether the words around a name show it is a person's."""
    before = tokens[k - 1].text.lower() if k else ""
    if before in ("said", "says", "told") or (before == "to" and k > 1 and tokens[k - 2].text == "according"):
        return True
    if any(token.text in STRONG_PARTICLES for token in tokens[k:end]):
        return True
    if end >= len(tokens):
        return False
    after = tokens[end]
    if after.text in REPORTING_VERBS and is_contiguous(after):
        return True
    return after.gap.strip() == "," and _role_follows(tokens, end)


def _role_follows(tokens: list[Token], start: int) -> bool:
    """Tell whether "who", "whose" or a role word follows the comma after a name."""
    for k in range(start, min(start + 5, len(tokens))):
        if k > start and not is_contiguous(tokens[k]):
            return False
        word = tokens[k].text.lower()
        if word in ROLE_WORDS or word.rsplit("-", 1)[-1] in ROLE_WORDS or word in ("who", "whose"):
            return True
    return False


def _recurs(tokens: list[Token], k: int, end: int, claimed: list[bool],
            positions: dict[str, list[int]]) -> bool:
    """Tell whether the name's first or last word appears again on its own, as surnames do.

    The first word counts for family-name-first names: "Xi Jinping" ... "Xi said".
    """
    candidates = {tokens[end - 1].text, tokens[k].text}
    return any(len(word) >= 2 and not claimed[i] and not (k <= i < end)
               and not in_name_run(tokens, i)
               and not (i and tokens[i - 1].text in PLACE_WORDS)  # "in Fukushima" is a place
               for word in candidates for i in positions.get(word, ()))


def _canonical_names(names: list[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Map each name to the longest name it is part of: ("Putin",) -> "Vladimir Putin".

    Spellings that differ only in accents or case ("Von der Leyen") are one name,
    written as first seen.
    """
    spelling: dict[tuple[str, ...], tuple[str, ...]] = {}
    counts: dict[tuple[str, ...], int] = {}
    for name in names:
        first = spelling.setdefault(_key(name), name)
        counts[first] = counts.get(first, 0) + 1
    canonical = {}
    for name in sorted(counts, key=len, reverse=True):
        longer = [other for other in counts if len(other) > len(name) and _contains(other, name)]
        target = max(longer, key=lambda other: counts[other], default=name)
        canonical[name] = canonical.get(target, _display(target))
    return {name: canonical[spelling[_key(name)]] for name in names}


def _short_forms(tokens, claimed, gazetteer, names: list[str], found: list[Mention]) -> list[Mention]:
    """Find later mentions of known people by part of their name: "Putin", "Xi", "von der Leyen"."""
    forms: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        for form in _name_forms(name.split(" "), gazetteer):
            forms.setdefault(tuple(map(fold, form)), []).append(name)
    seen: dict[str, list[int]] = {}
    for mention in found:
        seen.setdefault(mention.name, []).append(mention.start)
    longest = max(map(len, forms), default=0)
    mentions, i = [], 0
    while i < len(tokens):
        for length in range(min(longest, len(tokens) - i), 0, -1):
            form = tuple(fold(token.text) for token in tokens[i:i + length])
            if form in forms and _free(tokens, claimed, i, i + length):
                name = _nearest(forms[form], seen, i)
                mentions.append(_mention(tokens, i, i + length, name))
                _claim(claimed, mentions[-1])
                seen.setdefault(name, []).append(i)
                i += length - 1
                break
        i += 1
    return mentions


def _name_forms(parts: list[str], gazetteer: Gazetteer) -> set[tuple[str, ...]]:
    """Return the parts of a name that can stand for it: "Xi", "Jinping", "von der Leyen"."""
    forms = set()
    for a in range(len(parts)):
        for b in range(a + 1, len(parts) + 1):
            form = parts[a:b]
            if form[-1] in PARTICLES or _INITIAL.fullmatch(form[-1]) or form[0] in ROMAN_NUMERALS:
                continue
            if len(form) == 1 and (len(form[0]) < 2 or not is_name_word(form[0], gazetteer)):
                continue
            forms.add(tuple(form))
            if form[0] in PARTICLES:
                forms.add((form[0].capitalize(), *form[1:]))
    return forms


def _free(tokens: list[Token], claimed: list[bool], start: int, end: int) -> bool:
    """Tell whether tokens start..end are unclaimed, joined, and not inside a longer name."""
    if any(claimed[start:end]) or not all(is_contiguous(t) for t in tokens[start + 1:end]):
        return False
    return not in_name_run(tokens, start, end)


def in_name_run(tokens: list[Token], start: int, end: int | None = None) -> bool:
    """Tell whether capitalised words join tokens[start:end] on either side ("Michel Barnier")."""
    end = start + 1 if end is None else end
    before = start > 0 and not tokens[start].sentence_start and is_contiguous(tokens[start]) \
        and tokens[start - 1].text[:1].isupper() and tokens[start - 1].text not in NOT_NAMES \
        and not _is_title(tokens[start - 1].text)
    after = end < len(tokens) and is_contiguous(tokens[end]) and not tokens[end].sentence_start \
        and tokens[end].text[:1].isupper() and tokens[end].text not in NOT_NAMES
    return before or after


def _nearest(names: list[str], seen: dict[str, list[int]], i: int) -> str:
    """Pick, among people sharing a short form, the one mentioned most recently before i."""
    if len(names) == 1:
        return names[0]
    latest = {name: max((at for at in seen.get(name, []) if at < i), default=-1) for name in names}
    return max(names, key=lambda name: latest[name])



def _key(name: tuple[str, ...]) -> tuple[str, ...]:
    """Compare names without accents or case."""
    return tuple(fold(word).casefold() for word in name)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Tell whether ``shorter`` occurs as a contiguous run in ``longer``."""
    longer, shorter = _key(longer), _key(shorter)
    return any(longer[i:i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))


def _is_title(word: str) -> bool:
    """Tell whether a word is a title or role that can precede a name."""
    return word.lower() in TITLES or word in ABBREVIATED_TITLES


def _name_words(tokens: list[Token], mention: Mention) -> list[str]:
    """Return the words of a mention."""
    return [token.text for token in tokens[mention.start:mention.end]]


def _mention(tokens: list[Token], start: int, end: int, name: str | None = None) -> Mention:
    """Make a person mention of tokens[start:end]."""
    surface = _display([token.text for token in tokens[start:end]])
    return Mention(PERSON, name or surface, surface, start, end)


def _display(parts) -> str:
    """Join name words for display; "Jr" keeps its full stop."""
    return " ".join(part + "." * (part in NAME_SUFFIXES) for part in parts)


def _claim(claimed: list[bool], mention: Mention) -> None:
    """Mark a mention's tokens as taken."""
    claimed[mention.start:mention.end] = [True] * (mention.end - mention.start)
