""""Did you mean": names the archive knows first, then the search engine's own vocabulary.

# Putni  -> Putin    (an actor's alias), not "put"
# Beijng -> Beijing  (the capital that stands for China, an actor of the archive), not "being"
# ceasfire -> ceasefire (no name is close: the engine's spelling suggestion)
# the    -> no suggestion: too common a word to search for, and the page says so

Only words that match no article are corrected, and stop words never are. Names are
compared without case or accents, by optimal string alignment distance (a swap of two
letters counts once), with rapidfuzz; the most-named actor wins a tie.
"""

import dataclasses
import re
import time

from django.db import connection
from django.db.models import Count
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .extraction.countries import capitals
from .forms import SearchFilters
from .models import Actor, ActorKind, Article
from .quoting import quoted
from .search.analysis import fold, terms
from .search.engines import engine
from .search.engines.base import SearchRequest
from .search.query import read_query
from .search.selectors import search_hits

MIN_NAME_WORD = 3  # shorter name words ("Xi", "UN") are never offered for a typo
SUGGESTION_WORDS = 12  # distinct words of a query looked at, at most
SUGGESTION_WORD_LENGTHS = range(3, 31)  # shorter: every short word is close to it; longer: no misspelling
SUGGESTION_SECONDS = 0.5  # each unknown word costs a walk of the index's vocabulary: stop looking after this


@dataclasses.dataclass(frozen=True)
class Suggestion:
    query: str
    url: str


def did_you_mean(filters: SearchFilters, view_count: int | None = None) -> Suggestion | None:
    """The query with each unknown word replaced by the closest archive name, else the engine's suggestion.

    view_count: what the view itself found, when known; a view of one word and nothing else that
    found nothing has said the word matches nothing (no second search for it).
    Bounded work (50 misspelt words took 13 s at 10k articles): the first SUGGESTION_WORDS distinct
    words of SUGGESTION_WORD_LENGTHS, and no new word looked at once SUGGESTION_SECONDS have gone.
    """
    words = [
        word for word in dict.fromkeys(read_query(filters.q)[0].words())
        if terms(word) and len(word) in SUGGESTION_WORD_LENGTHS  # stop words stay
    ][:SUGGESTION_WORDS]
    deadline = time.monotonic() + SUGGESTION_SECONDS
    unmatched = _lone_word(filters) if view_count == 0 else None
    unknown = [word for word in words if word == unmatched or not _matches_anything(word)]
    names = name_words() if unknown else {}
    query = filters.q
    for looked_up, word in enumerate(unknown):
        if looked_up and time.monotonic() > deadline:
            break
        better = closest_name(word, names) or (engine().suggest([word]) or [word])[0]
        if better.casefold() != word.casefold():
            query = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, query, count=1)
    if query == filters.q:
        return None
    return Suggestion(query, filters.replace(q=query).url())


def _lone_word(filters: SearchFilters) -> str | None:
    """The word a view searches for, when it is one plain word and the view has no filter: what
    _matches_anything(word) would ask. "gas", not "gas*", "-gas", "headline:gas", "gas oil" or "gas" from 2024."""
    if any(name not in ("q", "sort", "page") for name, _ in filters.params()):
        return None
    clauses = read_query(filters.q)[0].clauses
    if len(clauses) != 1 or len(clauses[0]) != 1:
        return None
    term = clauses[0][0]
    plain = not (term.negated or term.prefix or term.phrase or term.field) and re.fullmatch(r"\w+", term.text)
    return term.text if plain else None


def _matches_anything(word: str) -> bool:
    """Whether some article holds the word (a count from the engine, nothing else)."""
    parsed, _ = read_query(word)
    return search_hits(SearchRequest(SearchFilters(q=word), parsed, stop=0, facets=False)).count > 0


def common_words_notice(filters: SearchFilters) -> str | None:
    """Why a query of only very common words finds nothing: 'the' is not searched on its own."""
    words = read_query(filters.q)[0].words()
    if not words or any(terms(word) for word in words):
        return None
    common = list(dict.fromkeys(words))
    listed = ", ".join(quoted(word) for word in common)
    return f"{listed} {'is' if len(common) == 1 else 'are'} too common to search for on its own: add a more specific word."


# (what the names were read from, the names): reading them costs ~40 ms at 10k articles, the page ~10.
_names_read: list[tuple[tuple, dict[str, str]]] = []


def name_words() -> dict[str, str]:
    """{folded word: word as written} of every name in the archive, words of the most-named actors first.

    The names are actors' names and aliases, and for countries the capitals that stand for them
    ("Beijing said"): extraction finds "Beijing" as China, so a researcher may search for it.
    Kept while the archive's actors and their links are unchanged (_names_version).
    """
    version = _names_version()
    if _names_read and _names_read[0][0] == version:
        return _names_read[0][1]
    words = _read_name_words()
    _names_read[:] = [(version, words)]
    return words


def _names_version() -> tuple:
    """What changes when a name or an actor's number of articles may have: the newest link row, and
    the newest history record of an actor (renamed, aliases edited, merged, deleted) or of an article
    (its actors changed, or it was deleted). Three lookups of an indexed maximum in one query, written
    as SQL: as three ORM aggregates, compiling them took a misspelt word's page ~1.5 ms."""
    quote = connection.ops.quote_name
    links = quote(Article.actors.through._meta.db_table)
    actors, articles = (quote(model.history.model._meta.db_table) for model in (Actor, Article))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {links}), (SELECT MAX(history_date) FROM {actors}), "
                       f"(SELECT MAX(history_date) FROM {articles})")
        return tuple(cursor.fetchone())


def _read_name_words() -> dict[str, str]:
    capitals_of: dict[str, list[str]] = {}
    for capital, country in capitals().items():
        capitals_of.setdefault(country, []).append(capital)
    actors = (
        Actor.objects.annotate(mentions=Count("articles")).filter(mentions__gt=0)
        .order_by("-mentions", "name").values_list("name", "aliases", "kind")
    )
    words: dict[str, str] = {}
    for name, aliases, kind in actors:
        names = [name, *aliases.splitlines()] + (capitals_of.get(name, []) if kind == ActorKind.COUNTRY else [])
        for word in re.findall(r"\w+", " ".join(names)):
            if len(word) >= MIN_NAME_WORD and not word.isdigit():
                words.setdefault(fold(word).casefold(), word)
    return words


def closest_name(word: str, names: dict[str, str]) -> str | None:
    """The name word within a typo's distance of word (1 for 4-5 letters, 2 from 6), or None."""
    limit = 0 if len(word) < 4 else 1 if len(word) < 6 else 2
    if not limit or not names:
        return None
    match = process.extractOne(fold(word).casefold(), list(names), scorer=OSA.distance, score_cutoff=limit)
    return names[match[0]] if match else None
