"""Extract the people, organisations and countries an article talks about."""

from dataclasses import dataclass

from .companies import company_entries
from .countries import FORMER_COUNTRIES
from .cues import capital_neighbour, cued_organisations, press_review_titles, spelled_out, us_party_mentions
from .institutions import OwnedBody, body_name, institution_at
from .lexicon import (
    CONNECTORS, COUNTRY, FUNCTION_WORDS, ORGANISATION, PERSON, PLACE_WORDS, Entry, Gazetteer,
    Mention, gazetteer,
)
from .persons import person_mentions
from .phrases import acronym_definitions, ministry_at, organisation_phrase_at, party_at
from .registry import ActorRegistry
from .tokens import Token, is_contiguous, tokenize


# Lower-case words after a name that make it a treaty, plan or event: "the Falepili Union treaty".
EVENT_NOUNS = frozenset("""
    treaty agreement deal pact accord accords summit talks plan bill law project pipeline
    initiative programme program framework format process declaration report index scheme
    award prize games cup meeting conference forum session election elections referendum
""".split())
# Organisations whose named parts are actors of their own: "UN Verification Mission", "AU Commission".
UMBRELLAS = frozenset(("United Nations", "European Union", "African Union"))


@dataclass(frozen=True)
class ExtractedActor:
    name: str                 # canonical display name: "Vladimir Putin", "Russia"
    kind: str                 # "person" | "organisation" | "country"
    aliases: tuple[str, ...]  # other forms seen in the text, sorted: ("Moscow", "Russian")
    mentions: int             # how many times the text mentions it


def extract_actors(text: str, registry: ActorRegistry | None = None) -> list[ExtractedActor]:
    """Return the actors of an article, one per real entity, sorted by kind then name.

    With a registry, editors' known actors are found and named as they keep them,
    and strings they marked "never an actor" are dropped (see ``registry``).
    """
    tokens = tokenize(text)
    claimed = [False] * len(tokens)
    mentions = _scan(tokens, claimed, gazetteer())
    if registry is None:
        return _actors(mentions + person_mentions(tokens, claimed, gazetteer()))
    return _actors(_known_mentions(tokens, claimed, mentions, registry))


def _known_mentions(tokens, claimed, mentions: list[Mention], registry: ActorRegistry) -> list[Mention]:
    """Add the registry's actors to the rules' mentions, rename them, drop the "never" strings."""
    blocked = registry.never_spans(tokens)
    matches = registry.find(tokens)
    named = {match.actor for match in matches}
    mentions = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in blocked)]
    wins = []
    for match in matches:
        if match.surname or any(s < match.end and match.start < e for s, e in blocked):
            continue
        overlap = [m for m in mentions if m.start < match.end and match.start < m.end]
        if _rules_cover(overlap, match):
            continue  # the rules found this span; their mention is renamed below
        mentions = [m for m in mentions if not any(m is other for other in overlap)]
        wins.append(_mention(tokens, match.start, match.end, match.actor.kind, match.actor.name))
    for start, end in blocked + [(m.start, m.end) for m in wins]:
        claimed[start:end] = [True] * (end - start)
    people = [m for m in wins if m.kind == PERSON]
    for mention in people:
        mention.name = mention.surface  # short forms come from the name as written
    mentions += [m for m in wins if m.kind != PERSON]
    mentions += person_mentions(tokens, claimed, gazetteer(), people)
    for match in matches:
        if match.surname and not any(claimed[match.start:match.end]):
            mentions.append(_mention(tokens, match.start, match.end, PERSON, match.actor.name))
    mentions = [m for m in mentions if not (registry.is_never(m.surface) or registry.is_never(m.name))]
    _rename(mentions, registry, named)
    return [m for m in mentions if not registry.is_never(m.name)]


def _rules_cover(overlap: list[Mention], match) -> bool:
    """Tell whether the rules' mentions span a registry match, or a longer name contains it.

    "Russian Foreign Ministry" is the rules' country plus ministry; "Brothers of
    Italy" is more than the rules' "Italy", so the registry's match wins there.
    """
    if any(m.end - m.start > match.end - match.start for m in overlap):
        return True
    covered = {k for m in overlap for k in range(m.start, m.end)}
    return covered >= set(range(match.start, match.end))


def _rename(mentions: list[Mention], registry: ActorRegistry, named) -> None:
    """Give each extracted actor the name and kind of the known actor any of its forms names."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        groups.setdefault((mention.kind, mention.name), []).append(mention)
    for (kind, name), group in groups.items():
        surfaces = sorted({m.surface for m in group} - {name}, key=lambda s: (-len(s), s))
        known = registry.known_for(name, surfaces, kind, named)
        for mention in group if known else ():
            mention.kind, mention.name = known.kind, known.name


def _scan(tokens: list[Token], claimed: list[bool], base: Gazetteer) -> list[Mention]:
    """Find countries and organisations left to right, longest match first."""
    local, acronyms = acronym_definitions(tokens, base)
    local = {**company_entries(tokens, base), **cued_organisations(tokens, base), **local}
    lookup = base.extended(local)
    words = [token.text for token in tokens]
    mentions: list[Mention] = []
    bodies: list[OwnedBody] = []
    i = 0
    while i < len(tokens):
        length = _match_at(tokens, words, i, lookup, acronyms, mentions, bodies)
        if length:
            claimed[i:i + length] = [True] * length
        elif "-" in words[i]:
            mentions += _hyphen_parts(tokens, i, base)
        i += length or 1
    mentions += us_party_mentions(tokens, claimed, mentions)
    mentions += press_review_titles(tokens, claimed, base)
    mentions += _party_short_forms(tokens, claimed, mentions, base)
    spelled_out(mentions)
    expansions = {}
    for body in bodies:
        mention = body.mention
        mention.name = body_name(body, mentions, tokens)
        expansions.setdefault(mention.surface, mention.name)
        if not body.owner or body.owner not in mention.surface:
            # A bare "Foreign Ministry" or "Senate" is no alias: it would match every country's.
            mention.surface = mention.name
    for mention in mentions:
        if (mention.surface,) in local:  # "(CNE)" after "National Electoral Council" goes with it
            mention.name = expansions.get(mention.name, mention.name)
    return mentions


def _match_at(tokens, words, i, lookup, acronyms, mentions, bodies) -> int:
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
        return _record_body(tokens, i, ministry, mentions, bodies, False)
    institution = institution_at(tokens, words, i, lookup)
    if institution and institution[0] >= max(length, phrase) and party < institution[0]:
        return _record_body(tokens, i, institution, mentions, bodies, True)
    if entry and entry.kind == COUNTRY and phrase > length \
            and lookup.entries.get(tuple(words[i + length:i + phrase]), entry).kind == ORGANISATION:
        phrase = 0  # "US State Department": the country, then the known organisation
    if entry and phrase > length and words[i + length] == "and":
        phrase = 0  # "Britain and Mergers Commission": a known name, then another
    follows = words[i + length] if i + length < len(words) else ""
    if entry and entry.name in UMBRELLAS and phrase > length:
        entry = None  # "UN Verification Mission" is a body of its own, not the UN
    if entry and (phrase <= length or entry.kind == ORGANISATION and follows not in CONNECTORS):
        return _record_entry(tokens, i, length, max(length, phrase), entry, mentions)
    if phrase and party < phrase and _word(tokens, i + phrase) in EVENT_NOUNS:
        return 0  # "the Falepili Union treaty" names a treaty, not a union
    if phrase:
        mentions += _countries_inside(tokens, i, i + phrase, lookup)
        mentions.append(_mention(tokens, i, i + phrase, ORGANISATION, None))
        return phrase + (party == phrase)  # a lower-case "party" goes with its name
    return 0


def _party_short_forms(tokens, claimed, mentions: list[Mention], base: Gazetteer) -> list[Mention]:
    """Find a party met as "<Name> Party" later named without "Party": "the Reform Party ... Reform won"."""
    parties: dict[str, str] = {}
    for mention in mentions:
        words = mention.surface.split()
        if mention.kind == ORGANISATION and len(words) == 2 and words[1] in ("Party", "party"):
            parties.setdefault(words[0], mention.name)
    found = []
    for k, token in enumerate(tokens):
        name = parties.get(token.text)
        if name and not claimed[k] and not base.entries.get((token.text,)) and not capital_neighbour(tokens, k):
            found.append(_mention(tokens, k, k + 1, ORGANISATION, name))
            claimed[k] = True
    return found


def _record_body(tokens, i, match, mentions: list[Mention], bodies: list[OwnedBody],
                 institution: bool) -> int:
    """Record a ministry or institution (named once its country is known) and the demonym before it."""
    span, title, owner, demonym = match
    if demonym:
        mentions.append(_mention(tokens, i, i + demonym, COUNTRY, owner))
    mention = _mention(tokens, i + demonym, i + span, ORGANISATION, "")
    mentions.append(mention)
    bodies.append(OwnedBody(mention, title if institution else f"{title} Ministry", owner, institution))
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
        if entry and entry.kind and entry.role != "capital" and entry.name not in FORMER_COUNTRIES.values():
            mentions.append(Mention(entry.kind, entry.name, part, i, i + 1))  # "Soviet-era" names no state
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


def _mention(tokens, start: int, end: int, kind: str, name: str | None, role: str = "mention") -> Mention:
    """Make a mention of tokens[start:end]; ``name`` None means the text itself is the name."""
    surface = tokens[start].text + "".join(
        (token.gap if token.gap.strip() in ("'", "&") else " " if token.gap else "") + token.text
        for token in tokens[start + 1:end])
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


def _word(tokens: list[Token], j: int) -> str:
    """Return the text of token j, or "" past the end."""
    return tokens[j].text if 0 <= j < len(tokens) else ""
