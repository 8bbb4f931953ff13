"""Score the actor extractor against a gold directory of real news (the CoNLL-2003 dev format).

DIR holds article files (*.txt, ingest format) and gold.json:
{"file.txt": {"person": [...], "organisation": [...], "country": ["US", ...], "group": "news"}}.
Person and organisation labels are names as written, one per distinct form;
countries are ISO 3166 alpha-2 codes. The rules (from the dataset's README):

- per document each distinct entity counts once: gold forms that match each other
  ("Greenspan", "Alan Greenspan") are one entity;
- an actor matches a name when the two are equal after folding case, accents, dots,
  a leading "the" and a trailing "'s", or one is a whole-word prefix or suffix of
  the other ("Putin" ~ "Vladimir Putin"); an organisation also matches its acronym by
  initials ("UN" ~ "United Nations"); a single generic word ("Commission") never
  matches by prefix or suffix;
- countries match by ISO code;
- a second actor matching an entity already matched is a false positive (a split).

An actor matches by its name or any alias (the forms it was seen under). One actor
matching two gold entities that the rules above cannot join ("Fed", "Federal Reserve")
counts once, as one entity found.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .actors import ExtractedActor, extract_actors
from .countries import country_code
from .evaluate import ALL, KINDS, FileResult, Score, article_text, format_results, format_table
from .lexicon import ORGANISATION, ORGANISATION_HEADS, words

# One-word names that say what a body is, not which one: they never match by prefix or suffix.
GENERIC = frozenset(word.casefold() for word in ORGANISATION_HEADS | words("""
    Ministry Government Cabinet Parliament Embassy Police Army Navy Court Commission Council
    Committee Party Union Agency Office Department Bank Fund Group Movement Forces Company
    Exchange Association League Club Federation Institute Assembly Authority Board
"""))
_JOINING = words("of for and the de du des la le el al von van")


@dataclass
class GoldEntity:
    forms: set[str]          # folded names: {"alan greenspan", "greenspan"}
    labels: list[str]        # as written in gold.json
    matched: bool = False


@dataclass
class GoldReport:
    scores: dict[str, Score]
    results: list[FileResult] = field(default_factory=list)


def fold_name(name: str) -> str:
    """Fold case, accents, dots, a leading "the" and a trailing "'s": "The U.S. Treasury's" -> "us treasury"."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    text = " ".join(text.replace(".", "").casefold().split())
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s*'s$", "", text)


def names_match(a: str, b: str, kind: str) -> bool:
    """Tell whether two names stand for the same entity under the scoring rules."""
    fa, fb = fold_name(a), fold_name(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = sorted((fa.split(), fb.split()), key=len)
    if len(short) < len(long) and not (len(short) == 1 and short[0] in GENERIC):
        if long[:len(short)] == short or long[-len(short):] == short:
            return True
    return kind == ORGANISATION and (_is_acronym_of(a, b) or _is_acronym_of(b, a))


def _is_acronym_of(acronym: str, name: str) -> bool:
    """Tell whether a one-word capital acronym spells a name's initials: "U.N." ~ "United Nations"."""
    letters = acronym.replace(".", "")
    if " " in letters.strip() or len(letters) < 2 or not letters.isupper():
        return False
    parts = [part for word in name.split() for part in word.split("-")]
    initials = "".join(part[0] for part in parts if part[:1].isupper() and part not in _JOINING)
    return initials.upper() == letters.upper() and len(parts) > 1


def gold_entities(labels: list[str], kind: str) -> list[GoldEntity]:
    """Group gold forms that match each other into entities."""
    entities: list[GoldEntity] = []
    for label in labels:
        joined = [e for e in entities if any(names_match(label, other, kind) for other in e.labels)]
        entity = GoldEntity({fold_name(label)}, [label])
        for other in joined:
            entity.forms |= other.forms
            entity.labels += other.labels
            entities.remove(other)
        entities.append(entity)
    return entities


def score_document(gold: dict, actors: list[ExtractedActor], result: FileResult) -> dict[str, Score]:
    """Score one document's actors against its gold labels, per kind."""
    scores = {}
    for kind in KINDS:
        found = [actor for actor in actors if actor.kind == kind]
        if kind == "country":
            scores[kind] = _score_countries(set(gold.get(kind, [])), found, result)
        else:
            scores[kind] = _score_names(gold_entities(gold.get(kind, []), kind), found, kind, result)
    return scores


def _score_names(entities: list[GoldEntity], found: list[ExtractedActor], kind: str,
                 result: FileResult) -> Score:
    score = Score()
    for actor in sorted(found, key=lambda a: -a.mentions):
        forms = (actor.name, *actor.aliases)
        hits = [e for e in entities if any(names_match(form, label, kind)
                                           for form in forms for label in e.labels)]
        fresh = [e for e in hits if not e.matched]
        if fresh:
            score.tp += 1
            for entity in hits:
                entity.matched = True
        else:
            score.fp += 1
            result.false_positives.append((kind, actor.name + (" (split)" if hits else "")))
    for entity in entities:
        if not entity.matched:
            score.fn += 1
            result.misses.append((kind, " / ".join(entity.labels)))
    return score


def _score_countries(codes: set[str], found: list[ExtractedActor], result: FileResult) -> Score:
    score, seen = Score(), set()
    for actor in found:
        code = country_code(actor.name)
        if code in codes and code not in seen:
            score.tp += 1
            seen.add(code)
        else:
            score.fp += 1
            result.false_positives.append(("country", f"{actor.name} ({code or '?'})"))
    for code in sorted(codes - seen):
        score.fn += 1
        result.misses.append(("country", code))
    return score


def evaluate_gold(directory: str | Path, group: str | None = "news") -> GoldReport:
    """Score every document of a gold directory (only those of ``group``, if given)."""
    directory = Path(directory)
    path = directory / "gold.json"
    if not path.is_file():
        raise FileNotFoundError(f"{directory} has no gold.json")
    gold = json.loads(path.read_text(encoding="utf-8"))
    report = GoldReport({kind: Score() for kind in (*KINDS, ALL)})
    for name in sorted(gold):
        labels = gold[name]
        if group and labels.get("group", group) != group:
            continue
        result = FileResult(name)
        for kind, score in score_document(labels, extract_actors(article_text(directory / name)),
                                          result).items():
            for key in (kind, ALL):
                report.scores[key].tp += score.tp
                report.scores[key].fp += score.fp
                report.scores[key].fn += score.fn
        report.results.append(result)
    return report


def format_gold_report(directory: str | Path, verbose: bool = False, group: str | None = "news") -> str:
    """Score a gold directory; with verbose, list misses and false positives per file."""
    report = evaluate_gold(directory, group)
    return format_table(report.scores) + (format_results(report.results) if verbose else "")
