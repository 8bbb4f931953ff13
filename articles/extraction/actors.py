"""Extract the people, organisations and countries an article talks about."""

from dataclasses import dataclass

from .countries import country_demonym
from .lexicon import (
    CONNECTORS, COUNTRY, FUNCTION_WORDS, ORGANISATION, PLACE_WORDS, Entry, Gazetteer, Mention,
    gazetteer,
)
from .persons import person_mentions
from .phrases import acronym_definitions, ministry_at, organisation_phrase_at, party_at
from .tokens import Token, is_contiguous, tokenize


@dataclass(frozen=True)
class ExtractedActor:
    name: str                 # canonical display name: "Vladimir Putin", "Russia"
    kind: str                 # "person" | "organisation" | "country"
    aliases: tuple[str, ...]  # other forms seen in the text, sorted: ("Moscow", "Russian")
    mentions: int             # how many times the text mentions it


@dataclass
class _Ministry:
    mention: Mention
    portfolio: str
    owner: str


def extract_actors(text: str) -> list[ExtractedActor]:
    """Return the actors of an article, one per real entity, sorted by kind then name."""
    tokens = tokenize(text)
    claimed = [False] * len(tokens)
    mentions = _scan(tokens, claimed, gazetteer())
    mentions += person_mentions(tokens, claimed, gazetteer())
    return _actors(mentions)


def _scan(tokens: list[Token], claimed: list[bool], base: Gazetteer) -> list[Mention]:
    """Find countries and organisations left to right, longest match first."""
    local, acronyms = acronym_definitions(tokens, base)
    lookup = Gazetteer({**base.entries, **local}, max([base.longest, *map(len, local)]))
    words = [token.text for token in tokens]
    mentions: list[Mention] = []
    ministries: list[_Ministry] = []
    i = 0
    while i < len(tokens):
        length = _match_at(tokens, words, i, lookup, acronyms, mentions, ministries)
        if length:
            claimed[i:i + length] = [True] * length
        elif "-" in words[i]:
            mentions += _hyphen_parts(tokens, i, base)
        i += length or 1
    for ministry in ministries:
        mention = ministry.mention
        mention.name = _ministry_name(ministry, mentions, tokens)
        if not ministry.owner or ministry.owner not in mention.surface:
            # A bare "Foreign Ministry" is no alias: it would match every country's.
            mention.surface = mention.name
    return mentions


def _match_at(tokens, words, i, lookup, acronyms, mentions, ministries) -> int:
    """Record the longest actor starting at token i and return how many tokens it takes."""
    found = lookup.match(words, i)
    length, entry = found if found else (0, None)
    if entry and i in acronyms:  # "(UNSC)" right after its name: an alias, not a new mention
        mentions.append(_mention(tokens, i, i + 1, entry.kind, entry.name, "alias"))
        return 1
    if tokens[i].heading:  # headings yield gazetteer entities only
        return _record_entry(tokens, i, length, length, entry, mentions) if entry else 0
    party = party_at(tokens, i, lookup)
    phrase = max(organisation_phrase_at(tokens, i), party)
    ministry = ministry_at(tokens, words, i, lookup)
    if ministry and ministry[0] > max(length, phrase):
        return _record_ministry(tokens, i, ministry, mentions, ministries)
    if entry and entry.kind == COUNTRY and phrase > length \
            and lookup.entries.get(tuple(words[i + length:i + phrase]), entry).kind == ORGANISATION:
        phrase = 0  # "US State Department": the country, then the known organisation
    follows = words[i + length] if i + length < len(words) else ""
    if entry and (phrase <= length or entry.kind == ORGANISATION and follows not in CONNECTORS):
        return _record_entry(tokens, i, length, max(length, phrase), entry, mentions)
    if phrase:
        mentions += _countries_inside(tokens, i, i + phrase, lookup)
        mentions.append(_mention(tokens, i, i + phrase, ORGANISATION, None))
        return phrase + (party == phrase)  # a lower-case "party" goes with its name
    return 0


def _record_ministry(tokens, i, ministry, mentions: list[Mention], ministries: list[_Ministry]) -> int:
    """Record a ministry (named once its country is known) and the demonym before it."""
    span, portfolio, owner, demonym = ministry
    if demonym:
        mentions.append(_mention(tokens, i, i + demonym, COUNTRY, owner))
    mention = _mention(tokens, i + demonym, i + span, ORGANISATION, "")
    mentions.append(mention)
    ministries.append(_Ministry(mention, portfolio, owner))
    return span


def _record_entry(tokens, i, length, span, entry: Entry, mentions: list[Mention]) -> int:
    """Record a gazetteer match; an organisation absorbs a sub-unit ("PLA Eastern Command")."""
    if not entry.kind:
        return length
    if entry.role == "capital":
        role = _capital_role(tokens, i, length, mentions)
        if role == "skip":
            return 0
        mentions.append(_mention(tokens, i, i + length, entry.kind, entry.name, role))
        return length
    mentions.append(_mention(tokens, i, i + length, entry.kind, entry.name))
    return span if entry.kind == ORGANISATION else length


def _capital_role(tokens: list[Token], i: int, length: int, mentions: list[Mention]) -> str:
    """Tell a capital acting as a government ("Moscow said") from a place ("in Moscow")."""
    end = i + length
    if end < len(tokens) and is_contiguous(tokens[end]) and tokens[end].is_capitalised \
            and not tokens[end].sentence_start and tokens[end].text not in FUNCTION_WORDS:
        return "skip"  # part of a longer name: "Washington Post", "Beijing Olympics"
    if i == 0 or tokens[i].sentence_start:
        return "mention"
    if is_contiguous(tokens[i]) and tokens[i - 1].is_capitalised and tokens[i - 1].text not in FUNCTION_WORDS:
        return "skip"  # the end of a longer name: "Real Madrid"
    before = tokens[i - 1].text.lower()
    if before in PLACE_WORDS:
        return "place"
    listed = before in ("and", "or") or tokens[i].gap.strip() == ","
    previous = mentions[-1] if mentions else None
    if listed and previous and previous.role == "place" and previous.end >= i - 2:
        return "place"  # "in Moscow and Beijing"
    return "mention"


def _hyphen_parts(tokens: list[Token], i: int, base: Gazetteer) -> list[Mention]:
    """Find actors inside a hyphenated word: "Sino-Russian", "US-China", "NATO-led"."""
    mentions = []
    for part in tokens[i].text.split("-"):
        entry = base.entries.get((part,))
        if entry and entry.kind and entry.role != "capital":
            mentions.append(Mention(entry.kind, entry.name, part, i, i + 1))
    return mentions


def _countries_inside(tokens, start: int, end: int, lookup: Gazetteer) -> list[Mention]:
    """Find the countries named inside an organisation's name ("Taiwan Affairs Office")."""
    words = [token.text for token in tokens[start:end]]
    mentions, k = [], 0
    while k < len(words):
        found = lookup.match(words, k)
        if found and found[1].kind == COUNTRY and found[1].role != "capital":
            mentions.append(_mention(tokens, start + k, start + k + found[0], COUNTRY, found[1].name))
        k += found[0] if found else 1
    return mentions


def _ministry_name(ministry: _Ministry, mentions: list[Mention], tokens: list[Token]) -> str:
    """Name a ministry after its country: said, possessive, same sentence, else the main country."""
    start = ministry.mention.start
    owner = ministry.owner
    countries = [m for m in mentions if m.kind == COUNTRY]
    if not owner and start > 1 and tokens[start - 1].text == "'s":
        owner = next((m.name for m in countries if m.end == start - 1), "")
    if not owner:
        sentence = start
        while sentence > 0 and not tokens[sentence].sentence_start:
            sentence -= 1
        owner = next((m.name for m in reversed(countries) if sentence <= m.start < start), "")
    if not owner:
        counts: dict[str, int] = {}
        for m in countries:
            counts[m.name] = counts.get(m.name, 0) + (m.role == "mention")
        owner = max(counts, key=counts.get, default="")
    prefix = country_demonym().get(owner, owner)
    return " ".join(filter(None, (prefix, ministry.portfolio, "Ministry")))


def _mention(tokens, start: int, end: int, kind: str, name: str | None, role: str = "mention") -> Mention:
    """Make a mention of tokens[start:end]; ``name`` None means the text itself is the name."""
    surface = tokens[start].text + "".join(
        (" " if token.gap else "") + token.text for token in tokens[start + 1:end])
    return Mention(kind, surface if name is None else name, surface, start, end, role)


def _actors(mentions: list[Mention]) -> list[ExtractedActor]:
    """Group mentions into one actor per (kind, name), with aliases and a mention count."""
    groups: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for mention in mentions:
        if mention.role == "place":
            continue
        count, aliases = groups.get((mention.kind, mention.name), (0, set()))
        aliases.add(mention.surface)
        groups[(mention.kind, mention.name)] = (count + (mention.role == "mention"), aliases)
    return [ExtractedActor(name, kind, tuple(sorted(aliases - {name})), count)
            for (kind, name), (count, aliases) in sorted(groups.items()) if count]
