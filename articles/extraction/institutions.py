"""Bodies named after the country that owns them: ministries and generic state institutions.

A bare "Senate" or "Foreign Ministry" would be one actor for every country, so the
name carries its owner: "Taiwan's Defence Ministry" -> "Taiwanese Defence Ministry",
"Argentina's Senate" -> "Argentine Senate", "told Congress" in a story about
Washington -> "US Congress".
"""

from dataclasses import dataclass

from .countries import country_demonym
from .lexicon import COUNTRY, Gazetteer, Mention
from .tokens import Token

# Generic names of legislatures, courts, central banks, election bodies and forces.
GENERIC = {tuple(name.split()): " ".join(name.split()) for name in """
    Senate|Congress|Parliament|National Assembly|Chamber of Deputies|House of Representatives|
    Supreme Court|Constitutional Court|Constitutional Council|High Court|Central Bank|
    Election Commission|Electoral Commission|Central Election Commission|
    Central Electoral Commission|National Election Commission|National Electoral Council|
    National Guard|Coast Guard|National Police|General Staff|Legislative Council|
    Legislative Assembly|State Council|National Security Council|Council of Ministers|
    Communist Party|Treasury|Air Force|Army|Navy|Marine Corps
""".replace("\n", "").split("|") if name.strip()}
GENERIC[("Treasury", "Department")] = "Treasury"  # "US Treasury Department" is the US Treasury
_LONGEST = max(map(len, GENERIC))
# Names too common to resolve from context: only "Hungary's Parliament", "the Kenyan Parliament".
_OWNER_REQUIRED = frozenset(("Parliament", "Army", "Navy"))
# Bare names English news uses for the US bodies when the story mentions the US at all.
_US_FIRST = frozenset(("Congress", "Senate", "House of Representatives", "Treasury"))
# Owners whose demonym is not used before an institution's name.
_PREFIXES = {"United States": "US", "United Kingdom": "UK", "Hong Kong": "Hong Kong", "Kosovo": "Kosovo"}
# A country's generic name that means something else there, or is written after it.
_SPECIAL = {("India", "Congress"): "Indian National Congress",
            ("China", "Communist Party"): "Communist Party of China"}
_OF_OWNER = frozenset(("Communist Party",))  # "Communist Party of Vietnam"
# Nouns after a demonym that make it a place: "the Ugandan capital", "the Iraqi border".
PLACE_NOUNS = frozenset("capital city town village border frontier province region".split())


@dataclass
class OwnedBody:
    mention: Mention
    title: str           # "Foreign Ministry", "Senate"
    owner: str           # the country written with it ("Russian Foreign Ministry"), else ""
    institution: bool    # a generic institution rather than a ministry


def institution_at(tokens: list[Token], words: list[str], i: int,
                   gazetteer: Gazetteer) -> tuple[int, str, str, int] | None:
    """Match a generic institution at token i: (length, title, owner or "", demonym length).

    "Argentine Senate" -> (2, "Senate", "Argentina", 1); "Supreme Court" -> (2, "Supreme Court", "", 0).
    """
    owner, start = "", i
    found = gazetteer.match(words, i)
    if found and found[1].kind == COUNTRY and found[1].role == "demonym":
        owner, start = found[1].name, i + found[0]
    for length in range(min(_LONGEST, len(words) - start), 0, -1):
        title = GENERIC.get(tuple(words[start:start + length]))
        if title and all(not t.sentence_start for t in tokens[start + 1:start + length]):
            if not owner and title in _OWNER_REQUIRED and not _possessed(tokens, start, gazetteer):
                return None
            return start + length - i, title, owner, start - i
    return None


def body_name(body: OwnedBody, mentions: list[Mention], tokens: list[Token]) -> str:
    """Name a body after its owner: written with it, possessive, same sentence, else the main country."""
    owner = body.owner or _owner(body, mentions, tokens)
    if body.institution:
        if owner and body.title in _OF_OWNER:
            return _SPECIAL.get((owner, body.title), f"{body.title} of {owner}")
        special = _SPECIAL.get((owner, body.title))
        prefix = _PREFIXES.get(owner) or country_demonym().get(owner, owner)
        return special or " ".join(filter(None, (prefix, body.title)))
    return " ".join(filter(None, (country_demonym().get(owner, owner), body.title)))


def _owner(body: OwnedBody, mentions: list[Mention], tokens: list[Token]) -> str:
    """Find the country a body without a written owner belongs to."""
    start = body.mention.start
    countries = [m for m in mentions if m.kind == COUNTRY and not _names_a_place(tokens, m)]
    if start > 1 and tokens[start - 1].text == "'s":
        owner = next((m.name for m in countries if m.end == start - 1), "")
        if owner:
            return owner
    if body.institution and body.title in _US_FIRST and any(m.name == "United States" for m in countries):
        return "United States"
    sentence = start
    while sentence > 0 and not tokens[sentence].sentence_start:
        sentence -= 1
    end = start + 1
    while end < len(tokens) and not tokens[end].sentence_start:
        end += 1
    quoted = _quoted(tokens, sentence, end)
    before = [m.name for m in reversed(countries) if sentence <= m.start < start and m.start not in quoted]
    after = [m.name for m in countries if start < m.start < end and m.start not in quoted]
    if before or after:
        return (before or after)[0]  # the nearest before it, else the nearest after
    counts: dict[str, int] = {}
    for m in countries:
        counts[m.name] = counts.get(m.name, 0) + (m.role == "mention")
    return max(counts, key=counts.get, default="")


def _names_a_place(tokens: list[Token], mention: Mention) -> bool:
    """Tell whether a demonym describes a place ("the Ugandan capital"), so it owns no body nearby."""
    return mention.end < len(tokens) and tokens[mention.end].text in PLACE_NOUNS


def _quoted(tokens: list[Token], start: int, end: int) -> set[int]:
    """Return the token indexes between start and end that sit inside quotation marks."""
    inside, quoted = False, set()
    for k in range(start, end):
        if sum(tokens[k].gap.count(mark) for mark in '"“”') % 2:
            inside = not inside
        if inside:
            quoted.add(k)
    return quoted


def _possessed(tokens: list[Token], start: int, gazetteer: Gazetteer) -> bool:
    """Tell whether a country's possessive comes right before token start: "Hungary's Parliament"."""
    if start < 2 or tokens[start - 1].text != "'s":
        return False
    for length in range(1, min(3, start - 1) + 1):
        entry = gazetteer.entries.get(tuple(t.text for t in tokens[start - 1 - length:start - 1]))
        if entry and entry.kind == COUNTRY:
            return True
    return False
