"""Assign topics from a controlled vocabulary by keyword hits; the starting vocabulary."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# A topic applies when its keyword hits score at least MIN_SCORE, a hit in the
# first paragraph (the lead) counting LEAD_WEIGHT times: so 3 hits anywhere,
# or 1 in the lead plus 1 more, or 2 in the lead. One passing mention is not enough.
MIN_SCORE = 3
LEAD_WEIGHT = 2
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True)
class TopicRule:
    slug: str
    keywords: tuple[str, ...]  # lower-case words or phrases; a trailing * means prefix ("sanction*")


def assign_topics(text: str, rules: Iterable[TopicRule]) -> list[str]:
    """Return the sorted slugs of the topics whose keywords the text mentions enough."""
    lead = _PARAGRAPH_BREAK.split(text.strip(), maxsplit=1)[0]
    slugs = set()
    for rule in rules:
        pattern = _pattern(rule.keywords)
        if pattern is None:
            continue
        lead_hits = len(pattern.findall(lead))
        score = len(pattern.findall(text)) + (LEAD_WEIGHT - 1) * lead_hits
        if score >= MIN_SCORE:
            slugs.add(rule.slug)
    return sorted(slugs)


@lru_cache(maxsize=512)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern | None:
    """Compile keywords into one case-insensitive whole-word pattern."""
    alternatives = [_keyword_regex(keyword) for keyword in keywords if keyword.strip(" *")]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


def _keyword_regex(keyword: str) -> str:
    """Turn "sanction*" into r"sanction\\w*" and "human rights" into r"human\\s+rights\\b"."""
    keyword = keyword.strip().lower()
    prefix = keyword.endswith("*")
    words = [re.escape(word) for word in keyword.rstrip("*").split()]
    return r"[\s-]+".join(words) + (r"[\w-]*" if prefix else r"(?!\w)")


DEFAULT_TOPICS: list[dict] = [
    {"name": "Diplomacy", "slug": "diplomacy",
     "description": "Talks, visits, summits and relations between governments.",
     "keywords": ["diplomacy", "diplomat*", "foreign minister", "foreign ministers", "foreign ministry",
                  "summit*", "bilateral", "multilateral", "talks", "visit", "visits", "visited", "envoy*", "ambassador*",
                  "embass*", "counterpart", "negotiat*", "mediat*", "communiqué", "joint statement",
                  "strategic partnership", "foreign policy", "treaty", "treaties", "sovereignty",
                  "normalis*", "normaliz*"]},
    {"name": "War in Ukraine", "slug": "war-in-ukraine",
     "description": "Russia's war against Ukraine: fighting, aid, peace efforts.",
     "keywords": ["ukraine", "ukrainian*", "kyiv", "kiev", "zelensky*", "zelenskyy", "donbas",
                  "donetsk", "luhansk", "crimea*", "zaporizhzhia", "kharkiv", "kherson",
                  "bakhmut", "avdiivka", "russian invasion", "war in ukraine"]},
    {"name": "Trade and economy", "slug": "trade-economy",
     "description": "Trade, tariffs, growth, debt, markets and economic cooperation.",
     "keywords": ["trade", "tariff*", "export*", "import", "imports", "imported", "importer*", "economy", "economic*", "gdp",
                  "inflation", "investment*", "investor*", "market*", "debt", "loan*",
                  "bailout", "recession", "currency", "supply chain*", "subsid*", "budget",
                  "interest rate*", "growth"]},
    {"name": "Energy", "slug": "energy",
     "description": "Oil, gas, power, nuclear energy and energy markets.",
     "keywords": ["energy", "oil", "crude", "gas", "lng", "pipeline*", "opec", "barrel*",
                  "refiner*", "electricity", "power grid", "power plant", "nuclear power",
                  "renewable*", "solar", "wind power", "coal", "fuel*"]},
    {"name": "Security and defence", "slug": "security-defence",
     "description": "Armed forces, military alliances, weapons and defence spending.",
     "keywords": ["military", "militar*", "defence", "defense", "army", "troops", "navy",
                  "air force", "missile*", "weapon*", "arms", "drone*", "nato", "alliance",
                  "deterren*", "ammunition", "air defence*", "air defense*", "exercises",
                  "drills", "warship*", "fighter jet*"]},
    {"name": "Sanctions", "slug": "sanctions",
     "description": "Sanctions, embargoes, export controls and their evasion.",
     "keywords": ["sanction*", "embargo*", "export control*", "blacklist*", "asset freeze*",
                  "frozen assets", "price cap", "sanctions evasion", "entity list",
                  "secondary sanctions", "restrictive measures"]},
    {"name": "Press freedom and civil society", "slug": "press-freedom-civil-society",
     "description": "Journalists, media freedom, NGOs and laws that restrict them.",
     "keywords": ["press freedom", "journalist*", "media outlet*", "independent media",
                  "censorship", "censor*", "foreign agent*", "foreign influence", "ngo*",
                  "civil society", "non-governmental", "reporters without borders",
                  "committee to protect journalists", "free speech", "freedom of expression",
                  "disinformation", "blogger*"]},
    {"name": "Human rights", "slug": "human-rights",
     "description": "Abuses, political prisoners, executions, discrimination and accountability.",
     "keywords": ["human rights", "rights group*", "abuse*", "torture", "execution*",
                  "death penalty", "political prisoner*", "detain*", "detention", "crackdown",
                  "persecut*", "discriminat*", "amnesty international", "human rights watch",
                  "crimes against humanity", "activist*", "dissident*", "minorit*"]},
    {"name": "Elections and politics", "slug": "elections-politics",
     "description": "Elections, parties, parliaments, governments and leadership changes.",
     "keywords": ["election*", "vote*", "voting", "voter*", "ballot*", "poll*", "campaign*",
                  "candidate*", "parliament*", "coalition", "opposition", "referendum",
                  "inaugurat*", "second term", "third term", "term limit*", "party", "parties", "lawmaker*", "legislat*"]},
    {"name": "Climate and environment", "slug": "climate-environment",
     "description": "Climate change, emissions, climate finance and the environment.",
     "keywords": ["climate", "emission*", "carbon", "global warming", "fossil fuel*",
                  "net zero", "cop28", "cop29", "cop30", "paris agreement", "deforestation",
                  "biodiversity", "pollution", "heatwave*", "drought*", "flood*",
                  "climate finance", "environment*"]},
    {"name": "Technology", "slug": "technology",
     "description": "Technology, chips, AI, telecoms, cyber and the firms behind them.",
     "keywords": ["technolog*", "tech", "semiconductor*", "chip*", "artificial intelligence",
                  "ai", "cyber*", "hack*", "5g", "telecom*", "software", "internet",
                  "data", "satellite*", "electric vehicle*", "huawei", "tiktok", "digital"]},
    {"name": "Migration", "slug": "migration",
     "description": "Migrants, refugees, asylum and borders.",
     "keywords": ["migra*", "refugee*", "asylum", "displaced", "deport*", "border crossing*",
                  "smuggl*", "undocumented", "unhcr", "resettle*", "border control*"]},
    {"name": "Middle East conflict", "slug": "middle-east-conflict",
     "description": "Israel, Gaza, Lebanon, Syria, Yemen and Iran-related conflicts.",
     "keywords": ["gaza", "israel*", "hamas", "hezbollah", "west bank", "palestin*",
                  "netanyahu", "rafah", "houthi*", "red sea", "lebanon", "idf", "hostage*",
                  "ceasefire", "two-state", "occupied territor*", "iran", "iranian*", "tehran", "iraq",
                  "iraqi*", "baghdad"]},
    {"name": "China, Taiwan and Asia-Pacific security", "slug": "asia-pacific-security",
     "description": "Taiwan Strait, South China Sea, Korean peninsula and Indo-Pacific security.",
     "keywords": ["china", "chinese", "taiwan*", "taipei", "south china sea", "taiwan strait", "indo-pacific",
                  "asia-pacific", "people's liberation army", "pla", "north korea*",
                  "pyongyang", "korean peninsula", "aukus", "quad", "philippine*",
                  "senkaku", "blockade", "reunification"]},
    {"name": "International law and courts", "slug": "international-law-courts",
     "description": "International courts, tribunals, war crimes and legal accountability.",
     "keywords": ["international criminal court", "icc", "international court of justice",
                  "icj", "tribunal*", "war crime*", "genocide", "arrest warrant*",
                  "international law", "prosecut*", "indict*", "ruling", "verdict",
                  "jurisdiction", "un charter", "accountability"]},
]
