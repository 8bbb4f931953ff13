"""How long ingest holds the database's write lock for one large file naming many new actors.

    .venv/bin/python bench/ingest_transactions.py                 # a 30 KB file naming ~700 new people
    .venv/bin/python bench/ingest_transactions.py --bytes 200000  # ~4,400 new people

The file is synthetic (seeded): sentences naming two people each with made-up surnames, so nearly
every person is new to the archive. On a throwaway SQLite data dir it prints the extraction's
time (outside any transaction), the whole store's time, how many write transactions it took and
the longest one: what another writer (a login) may have to wait for. Wall times on a shared
machine move with what else runs.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GIVEN = "Anna Carlos Maria Peter John Ahmed Olga Ivan Fatima Kofi Diego Lars Sofia Pablo Elena".split()
SYLLABLES = "ka lo mi ra sen to vu ber lin dor ash pel qua ri zo".split()
PLACES = "Oslo Lima Cairo Nairobi Hanoi Quito Riga Accra Doha Baku".split()


def article_text(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)

    def person() -> str:
        return f"{rng.choice(GIVEN)} {''.join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()}"

    sentences = []
    while sum(map(len, sentences)) < size:
        sentences.append(f"Minister {person()} met Premier {person()} in {rng.choice(PLACES)} to discuss the budget.")
    paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    return " date 2024-04-08 Foreign Minister Anna Example met officials in Geneva.\n\n" + "\n\n".join(paragraphs)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=30_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsdesk-ingest-bench-") as data_dir:
        os.environ.update(NEWSDESK_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="newsdesk.settings")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        measure(article_text(args.bytes))


def measure(text: str) -> None:
    from django.db import transaction

    from articles import resolve, services
    from articles.ingest import read_article
    from articles.prepare import article_prepare

    parsed = read_article(text.encode())
    started = time.perf_counter()
    prepared = article_prepare(parsed, resolve.actor_registry(), services.topic_rules())
    extraction = time.perf_counter() - started
    transactions = []
    with _outermost_transactions_timed(transaction.Atomic, transactions):
        started = time.perf_counter()
        result = services.article_store(prepared, name="big.txt", source="big.txt")
        store = time.perf_counter() - started
    print(f"{len(text.encode()):,} bytes naming {len(prepared.extraction.actors):,} actors: extraction {extraction:.2f} s "
          f"(no transaction); store {store:.2f} s ({result.status}) in {len(transactions):,} write transactions, "
          f"the longest {max(transactions):.2f} s")


class _outermost_transactions_timed:
    """Record the duration of every outermost transaction.atomic block opened meanwhile."""

    def __init__(self, atomic, durations: list[float]):
        self.atomic, self.durations, self.started = atomic, durations, {}

    def __enter__(self):
        from django.db import connection

        self.enter, self.exit = self.atomic.__enter__, self.atomic.__exit__
        timed = self

        def enter(block):
            if not connection.in_atomic_block:
                timed.started[id(block)] = time.perf_counter()
            return timed.enter(block)

        def exit_(block, *exc):
            try:
                return timed.exit(block, *exc)
            finally:
                if id(block) in timed.started:
                    timed.durations.append(time.perf_counter() - timed.started.pop(id(block)))

        self.atomic.__enter__, self.atomic.__exit__ = enter, exit_
        return self

    def __exit__(self, *exc):
        self.atomic.__enter__, self.atomic.__exit__ = self.enter, self.exit


if __name__ == "__main__":
    main()
