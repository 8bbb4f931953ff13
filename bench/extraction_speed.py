"""Measure actor and topic extraction speed on one core: articles per second for ~3 KB articles.

    .venv/bin/python bench/extraction_speed.py                      # 500 synthetic articles, cut to 3 KB
    .venv/bin/python bench/extraction_speed.py --dir DIR [--rounds 5]  # real articles (*.txt, ingest format)

Synthetic articles come from bench/generate.py (seed 1), each cut at a sentence end near
3,000 bytes. A real directory's files are taken as they are and the mean size is printed.
Extraction runs without a database (pure functions), in this one process, after one
warm-up pass that loads the gazetteers and the given-names list. Time is this process's
CPU time (what one core of its own would take: on a shared machine the wall clock also
counts the time other processes hold the core), the best of --rounds passes.
"""

import argparse
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import generate  # noqa: E402

from articles.extraction import DEFAULT_TOPICS, TopicRule, assign_topics, extract_actors  # noqa: E402
from articles.extraction.evaluate import article_text  # noqa: E402

TARGET_BYTES = 3000


def synthetic(count: int) -> list[str]:
    """Return `count` generated article texts, each cut at a sentence end near 3 KB."""
    writer = generate.ArticleWriter(1)
    texts = []
    for number in range(count):
        text = writer.article(number).split(" ", 2)[2]  # without the " date YYYY-MM-DD " header
        while len(text.encode()) < TARGET_BYTES:
            text += "\n\n" + writer.article(number + count).split(" ", 2)[2]
        cut = text.rfind(". ", 0, TARGET_BYTES)
        texts.append(text[:cut + 1] if cut > 0 else text[:TARGET_BYTES])
    return texts


def measure(texts: list[str], rounds: int) -> float:
    """Return the best CPU time of `rounds` passes of extraction over all texts, in seconds."""
    rules = [TopicRule(t["slug"], tuple(t["keywords"])) for t in DEFAULT_TOPICS]
    for text in texts[:20]:
        extract_actors(text), assign_topics(text, rules)  # warm-up: load the lists once
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            extract_actors(text)
            assign_topics(text, rules)
        best = min(best, time.process_time() - start)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="synthetic articles (default 500)")
    parser.add_argument("--dir", type=Path, help="measure these articles instead (*.txt, ingest format)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [article_text(p) for p in sorted(args.dir.glob("*.txt"))] if args.dir else synthetic(args.count)
    if not texts:
        raise SystemExit(f"no *.txt articles in {args.dir}")
    seconds = measure(texts, args.rounds)
    mean = sum(len(t.encode()) for t in texts) / len(texts)
    print(f"{len(texts)} articles, mean {mean:,.0f} bytes: {seconds:.2f} s, "
          f"{len(texts) / seconds:,.0f} articles/s, {sum(len(t.encode()) for t in texts) / seconds / 1024:,.0f} KB/s "
          f"(CPU time of one core, best of {args.rounds})")


if __name__ == "__main__":
    main()
