"""Score the actor extractor against a labelled development set.

    python -m articles.extraction.evaluate [DIR] [-v]

DIR holds article files (*.txt, ingest format) and labels.json:
{"file.txt": {"person": [...], "organisation": [...], "country": [...]}}.
A label is found when an extracted actor of its kind has it as name or alias
(compared without case, accents or a leading "the"); each actor answers one label.
"""

import argparse
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .actors import ExtractedActor, extract_actors

KINDS = ("person", "organisation", "country")
ALL = "all"
_HEADER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class FileResult:
    name: str
    misses: list[tuple[str, str]] = field(default_factory=list)           # (kind, label)
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)


def evaluate(devset_dir: str | Path) -> dict[str, Score]:
    """Return precision and recall per kind, plus "all", over every labelled file."""
    return evaluate_files(devset_dir)[0]


def evaluate_files(devset_dir: str | Path) -> tuple[dict[str, Score], list[FileResult]]:
    """Score every labelled file and say, per file, what was missed or wrongly found."""
    directory = Path(devset_dir)
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    scores = {kind: Score() for kind in (*KINDS, ALL)}
    results = []
    for name in sorted(labels):
        actors = extract_actors(article_text(directory / name))
        result = FileResult(name)
        for kind in KINDS:
            wanted = labels[name].get(kind, [])
            found = [actor for actor in actors if actor.kind == kind]
            misses, extra = _compare(wanted, found)
            result.misses += [(kind, label) for label in misses]
            result.false_positives += [(kind, actor.name) for actor in extra]
            tp = len(wanted) - len(misses)
            for key in (kind, ALL):
                scores[key].tp += tp
                scores[key].fn += len(misses)
                scores[key].fp += len(extra)
        results.append(result)
    return scores, results


def article_text(path: Path) -> str:
    """Read an article file without its " date YYYY-MM-DD " header."""
    return _HEADER.sub("", path.read_text(encoding="utf-8"), count=1)


def _compare(wanted: list[str], found: list[ExtractedActor]) -> tuple[list[str], list[ExtractedActor]]:
    """Pair labels with actors by name or alias; return unmatched labels and unmatched actors."""
    unmatched = list(found)
    misses = []
    for label in wanted:
        key = _normalise(label)
        actor = next((a for a in unmatched if key in {_normalise(n) for n in (a.name, *a.aliases)}), None)
        if actor is None:
            misses.append(label)
        else:
            unmatched.remove(actor)
    return misses, unmatched


def _normalise(name: str) -> str:
    """Fold case, accents, apostrophes and a leading "the" for comparison."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"^the\s+", "", " ".join(text.casefold().split()))


def format_table(scores: dict[str, Score]) -> str:
    """Render scores as a fixed-width table."""
    lines = [f"{'kind':<13}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>7}"]
    for kind, s in scores.items():
        lines.append(f"{kind:<13}{s.tp:>5}{s.fp:>5}{s.fn:>5}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    return "\n".join(lines)


def format_report(devset_dir: str | Path, verbose: bool = False) -> str:
    """Score a labelled directory; with verbose, list misses and false positives per file."""
    scores, results = evaluate_files(devset_dir)
    return format_table(scores) + (format_results(results) if verbose else "")


def format_results(results: list[FileResult]) -> str:
    """List misses and false positives per file, after a blank line each."""
    lines = []
    for result in results:
        if result.misses or result.false_positives:
            lines.append(f"\n{result.name}")
            lines += [f"  missed          {kind:<13}{label}" for kind, label in result.misses]
            lines += [f"  false positive  {kind:<13}{name}" for kind, name in result.false_positives]
    return "\n".join(["", *lines]) if lines else ""


def main(argv: list[str] | None = None) -> None:
    """Print the score table, and with -v the misses and false positives per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="tests/devset")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    args = parser.parse_args(argv)
    print(format_report(args.directory, args.verbose))


if __name__ == "__main__":
    main()
