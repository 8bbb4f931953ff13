"""Organisations that only the words around them reveal, found once and then known for the article.

    "the mining group Rio Tinto"                  -> Rio Tinto
    "the national telecoms regulator, Anatel,"    -> Anatel
    "Ecopetrol, the state oil company,"           -> Ecopetrol
    "the Mothers of Srebrenica association"       -> Mothers of Srebrenica
    "Analysts at JPMorgan said"                   -> JPMorgan
    "France's EDF", "the accord with the FARC"    -> EDF, FARC
    "a lawyer at the ACLU" after its full name    -> American Civil Liberties Union
    "Republican lawmakers" (in a story on the US) -> Republican Party

A name found this way is an organisation wherever else the article uses it
("Rio Tinto said"), so it is not mistaken for a person.
"""

import re

from .lexicon import COUNTRY, FUNCTION_WORDS, NOT_NAMES, ORGANISATION, Entry, Gazetteer, Mention, words
from .tokens import Token, is_contiguous

# Nouns that introduce an organisation's name: "the airline Aerolíneas Argentinas".
DESCRIPTORS = words("""
    company firm group corporation conglomerate airline carrier platform network broadcaster
    newspaper agency regulator watchdog bank lender insurer operator producer manufacturer
    maker miner giant utility party movement militia organisation organization union
    federation coalition alliance bloc foundation charity tank institute outlet channel force
    consortium monopoly developer exporter supplier contractor startup start-up exchange fund
    body authority rebels insurgents office app
""")
# Nouns that follow a group's name: "the Mothers of Srebrenica association", "the Sinaloa cartel".
GROUP_NOUNS = words("association cartel gang militia movement alliance coalition federation "
                    "foundation group union network syndicate brigade collective consortium")
# Nouns after a newspaper's or broadcaster's title: "Le Matin newspaper said".
MEDIA_NOUNS = words("newspaper newspapers daily weekly tabloid magazine paper broadcaster")
# Words in a press review's lead: "stories in leading newspapers", "the Tunisian press".
PRESS_WORDS = words("newspaper newspapers press papers dailies")
# People who work at an organisation: "analysts at JPMorgan", "researchers at Chatham House".
STAFF = words("""
    analyst analysts economist economists researcher researchers strategist strategists expert
    experts scientist scientists fellow fellows
""")
# Words that may sit between "the" and a descriptor: "the national telecoms regulator".
_DETERMINERS = words("the The its Its their Their his His her Her a A an An 's")
_MAX_MODIFIERS = 4
# All-capital words that are not organisations: "the GDP", "China's LNG".
NOT_ACRONYMS = words("""
    GDP GNP LNG LPG CEO CFO COO CTO AI EV EVs UAV UAVs ICBM ICBMs IPO VAT NGO NGOs HIV AIDS DNA
    TV PM MP MPs MEP MEPs OK ID IT PR IDP IDPs BRI JCPOA NPT START INF CPEC TPP CPTPP RCEP USMCA
    NAFTA GMT UTC BC AD COVID SARS MERS LGBT LGBTQ FY EEZ ADIZ HQ CPI PMI FDI SME SMEs ESG ETF
    HIMARS ATACMS NASAMS MW GW KW TWH BPD PPP CCTV SUV SUVs RSS VPN VPNs SMS URL CFA
    DVD DVDs CD CDs PC PCs PDA PDAs MP3 GPS SIM USB LCD ATM ATMs
""")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,6}")
_ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|as|ash|an|ar|at|az)-[A-Z]\w+")
_JOINERS = words("of for and de del della di do da dos das du des la el al")
_MAX_NAME = 4
# US party words and the words after them that make them the party: "Republican lawmakers".
US_PARTIES = {"Republican": "Republican Party", "Republicans": "Republican Party",
              "Democratic": "Democratic Party", "Democrat": "Democratic Party",
              "Democrats": "Democratic Party"}
PARTY_ROLES = words("""
    lawmaker lawmakers senator senators nominee nominees candidate candidates leader leaders
    leadership congressman congresswoman congressmen representative representatives governor
    governors member members majority minority primary primaries party presidential
    administration colleagues opponents strategist strategists voters donors caucus
""")


def cued_organisations(tokens: list[Token], gazetteer: Gazetteer) -> dict[tuple[str, ...], Entry]:
    """Return lookup entries for organisations named after a descriptor, staff or possessive."""
    entries: dict[tuple[str, ...], Entry] = {}
    for i, token in enumerate(tokens):
        span = None
        text = token.text
        if text in DESCRIPTORS and _determined(tokens, i) and _word(tokens, i - 1) != "aircraft":
            span = _appositive(tokens, i + 1, gazetteer) or _described_before(tokens, i, gazetteer)
        elif text in GROUP_NOUNS:
            span = _named_before(tokens, i, gazetteer)
        elif text in MEDIA_NOUNS and i and is_contiguous(token) and not token.sentence_start:
            span = _title_before(tokens, i, gazetteer)
        elif text.lower() in STAFF and _word(tokens, i + 1) in ("at", "with"):
            start = i + 2 + (_word(tokens, i + 2) == "the")
            end = _name(tokens, start, gazetteer)
            span = (start, end) if end else None
        elif _acronym(text) and i and is_contiguous(token) and (text,) not in gazetteer.entries \
                and (tokens[i - 1].text in ("the", "The") or _after_country(tokens, i, gazetteer)):
            span = (i, i + 1)
        if span:
            name = tuple(t.text for t in tokens[span[0]:span[1]])
            entries.setdefault(name, Entry(ORGANISATION, " ".join(name), "name"))
    return entries


def spelled_out(mentions: list[Mention]) -> None:
    """Name an acronym after the organisation in the article whose initials it is: ACLU, RSF."""
    full = {_initials(m.name): m.name for m in mentions if m.kind == ORGANISATION and " " in m.name}
    for mention in mentions:
        if mention.kind == ORGANISATION and _acronym(mention.name) and mention.name in full:
            mention.name = full[mention.name]


def _initials(name: str) -> str:
    """Return the capital initials of a name: "Rapid Support Forces" -> "RSF"."""
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def press_review_titles(tokens: list[Token], claimed: list[bool], gazetteer: Gazetteer) -> list[Mention]:
    """Find the newspapers a press review quotes: its all-capital headings ("JAKARTA POST", "LE TEMPS").

    Only in an article whose first paragraph speaks of newspapers or the press.
    """
    lead = {t.text.lower() for t in tokens if t.paragraph == (tokens[0].paragraph if tokens else 0)}
    if not lead & PRESS_WORDS:
        return []
    found, k = [], 0
    while k < len(tokens):
        end = k
        while end < len(tokens) and tokens[end].paragraph == tokens[k].paragraph:
            end += 1
        title = [t.text for t in tokens[k:end]]
        if tokens[k].heading and not any(claimed[k:end]) and len(title) <= 4 \
                and all(word.isupper() and word.isalpha() for word in title) and not gazetteer.match(title, 0):
            name = " ".join(word.capitalize() for word in title)
            found.append(Mention(ORGANISATION, name, " ".join(title), k, end))
            claimed[k:end] = [True] * (end - k)
        k = end
    return found


def us_party_mentions(tokens: list[Token], claimed: list[bool], mentions: list[Mention]) -> list[Mention]:
    """Find US parties named by their members in a story about the US: "Republican lawmakers"."""
    if not any(m.name == "United States" for m in mentions):
        return []
    found = []
    for i, token in enumerate(tokens):
        party = US_PARTIES.get(token.text)
        if not party or claimed[i] or capital_neighbour(tokens, i):
            continue
        if token.text.endswith("s") or _word(tokens, i + 1) in PARTY_ROLES:
            found.append(Mention(ORGANISATION, party, token.text, i, i + 1))
            claimed[i] = True
    return found


def _determined(tokens: list[Token], i: int) -> bool:
    """Tell whether "the", "its" or a possessive opens the noun phrase ending at token i.

    Without a determiner, a lower-case modifier does: "mineral water firm Multico".
    """
    if i > 0 and tokens[i - 1].text.isalpha() and tokens[i - 1].text.islower() and is_contiguous(tokens[i]):
        return True
    for k in range(i - 1, max(-1, i - 2 - _MAX_MODIFIERS), -1):
        if tokens[k + 1].sentence_start or not is_contiguous(tokens[k + 1]):
            return False
        if tokens[k].text in _DETERMINERS:
            return True
        if tokens[k].text.rsplit("-", 1)[-1][:1].isupper():
            return False  # "the Kremlin-backed group" is fine, "Rio Tinto group" is no descriptor
    return False


def _appositive(tokens: list[Token], j: int, gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Return the span of a name right after a descriptor, or between commas after it."""
    if j >= len(tokens) or tokens[j].sentence_start:
        return None
    comma = tokens[j].gap.strip() == ","
    if not comma and not is_contiguous(tokens[j]):
        return None
    if comma and tokens[j].text == "the" and j + 1 < len(tokens):
        j += 1  # "the ombudsman's office, the Defensoría del Pueblo,"
    end = _name(tokens, j, gazetteer)
    if not end:
        return None
    if comma and not (end == len(tokens) or tokens[end].gap.strip()[:1] in (",", ".", ";", ")")):
        return None  # "the group, Putin said, ..." is no apposition
    if end - j == 1 and _surname(tokens, j):
        return None  # "the company Musk owns"
    return j, end


def _described_before(tokens: list[Token], i: int, gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Return the span of a name a comma apposition describes: "Ecopetrol, the state oil company,"."""
    k = i
    while k > 0 and tokens[k].text not in ("the", "The") and is_contiguous(tokens[k]):
        k -= 1
    if tokens[k].text != "the" or tokens[k].gap.strip() != "," or tokens[k].sentence_start:
        return None
    if i + 1 < len(tokens) and tokens[i + 1].gap.strip()[:1] not in (",", ".", ";"):
        return None  # "Sharif, the party leader": the descriptor must end the apposition
    start = k - 1
    while start > 0 and _name_word(tokens[start - 1].text) and is_contiguous(tokens[start]) \
            and not tokens[start].sentence_start and k - start < _MAX_NAME:
        start -= 1
    end = _name(tokens, start, gazetteer)
    return (start, end) if end == k and not (end - start == 1 and _surname(tokens, start)) else None


def _named_before(tokens: list[Token], i: int, gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Return the span of "the <Name>" right before a group noun at i: "the Sinaloa cartel"."""
    start = i
    while start > 0 and i - start < _MAX_NAME + 2 and is_contiguous(tokens[start]) \
            and not tokens[start].sentence_start \
            and (_name_word(tokens[start - 1].text) or tokens[start - 1].text in _JOINERS):
        start -= 1
    while start < i and tokens[start].text in _JOINERS:
        start += 1
    if start == i or start == 0 or tokens[start - 1].text not in ("the", "The"):
        return None
    end = _name(tokens, start, gazetteer)
    if end != i or all(t.text in NOT_NAMES for t in tokens[start:end]):
        return None  # "the Sahel group" names a region's group, not an organisation
    if end - start == 1 and _surname(tokens, start):
        return None  # "the Musk foundation ... Elon Musk"
    plain = not any(t.text in _JOINERS for t in tokens[start:end])
    if end - start > 1 and plain and _stands_alone(tokens, end - 1):
        return None  # "the Donald Trump group ... Trump said": a person's name
    return start, end


def _title_before(tokens: list[Token], i: int, gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Return the span of a title right before a media noun at i: "Le Matin newspaper", "Zycie Warszawy daily"."""
    start = i
    while start > 0 and i - start < 3 and is_contiguous(tokens[start]) and not tokens[start].sentence_start \
            and (_name_word(tokens[start - 1].text) or tokens[start - 1].text in ("Le", "La", "El", "Al")):
        start -= 1
    if start == i:
        return None
    end = _name(tokens, start, gazetteer)
    return (start, end) if end == i and not all(t.text in NOT_NAMES for t in tokens[start:end]) else None


def _stands_alone(tokens: list[Token], k: int) -> bool:
    """Tell whether the word at k also appears elsewhere without the word before it ("Trump")."""
    word, before = tokens[k].text, tokens[k - 1].text
    return any(t.text == word and (i == 0 or tokens[i - 1].text != before)
               for i, t in enumerate(tokens) if i != k)


def _name(tokens: list[Token], j: int, gazetteer: Gazetteer) -> int:
    """Return the end of a run of capitalised words starting at j, or 0 if there is none.

    Lower-case particles may join capitalised words: "Clan del Golfo", "Jaish al-Adl".
    """
    end = j
    while end < len(tokens) and end - j < _MAX_NAME:
        word = tokens[end].text
        if end > j and (not is_contiguous(tokens[end]) or tokens[end].sentence_start):
            break
        joins = end > j and word in _JOINERS and end + 1 < len(tokens) \
            and is_contiguous(tokens[end + 1]) and _name_word(tokens[end + 1].text)
        if not (_name_word(word) or joins or (end > j and _ARABIC_ARTICLE.fullmatch(word))):
            break
        end += 1
    if end == j or gazetteer.match([t.text for t in tokens[j:end]], 0):
        return 0
    if all(t.text in NOT_NAMES for t in tokens[j:end]):
        return 0  # "the group Europe" names a region
    return end


def _name_word(text: str) -> bool:
    """Tell whether a word can be part of an organisation's name given by context."""
    return text[:1].isupper() and text not in FUNCTION_WORDS


def _acronym(text: str) -> bool:
    """Tell whether a word is an all-capital abbreviation that may name an organisation."""
    return bool(_ACRONYM.fullmatch(text)) and text not in NOT_ACRONYMS


def _after_country(tokens: list[Token], i: int, gazetteer: Gazetteer) -> bool:
    """Tell whether a country's possessive precedes token i: "South Korea's KHNP"."""
    if i < 2 or tokens[i - 1].text != "'s":
        return False
    for length in range(1, min(3, i - 1) + 1):
        entry = gazetteer.entries.get(tuple(t.text for t in tokens[i - 1 - length:i - 1]))
        if entry and entry.kind == COUNTRY and entry.role == "name":
            return True
    return False


def _surname(tokens: list[Token], j: int) -> bool:
    """Tell whether a word appears elsewhere as the last word of a two-word name ("Elon Musk")."""
    word = tokens[j].text
    return any(t.text == word and k and tokens[k - 1].text[:1].isupper() and is_contiguous(t)
               and not t.sentence_start for k, t in enumerate(tokens) if k != j)


def capital_neighbour(tokens: list[Token], i: int) -> bool:
    """Tell whether a capitalised word joins token i: "Democratic Republic", "Social Democrats"."""
    before = i and not tokens[i].sentence_start and is_contiguous(tokens[i]) \
        and tokens[i - 1].text[:1].isupper() and tokens[i - 1].text not in FUNCTION_WORDS
    after = i + 1 < len(tokens) and is_contiguous(tokens[i + 1]) and not tokens[i + 1].sentence_start \
        and tokens[i + 1].text[:1].isupper()
    return bool(before or after)


def _word(tokens: list[Token], j: int) -> str:
    """Return the text of token j, or "" past the end."""
    return tokens[j].text if 0 <= j < len(tokens) else ""
