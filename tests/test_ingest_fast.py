"""Fast ingest stores exactly what the plain path stores: every row, every history record, the batch log, the index.

The same files, from the same starting archive, go through the plain path (tests/ingest_reference.py:
one file after another, the ORM's save-then-add route with its signals) and through
articles.batches.ingest_batch_run as the command runs it: one file after another, and with the
next files extracted in worker processes (articles.ingest_ahead). The database is flushed (ids
start again) and the clock stands still between the two, so the rows must be equal column for column;
only the surrogate ids of relation rows (an article's actor links and their copies in history),
which the two paths number in another order, are left out. On Whoosh the index documents are
compared too (tests/search/index_contents.py).

The files: generated news (bench/generate.py) naming known and new people, a near-duplicate, the
same text twice in other bytes, a file refused for no date and an empty one, an article already
in the archive, one naming more actors than fit one look-up window, an actor known by an alias,
one by a merged actor's old slug, a surname that a later full name absorbs, a ruled-out name.
"""

import datetime
import functools
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles import ingest_ahead, services
from articles.batches import BatchFile, ingest_batch_run
from articles.extraction import DEFAULT_TOPICS
from articles.models import Actor, ActorRedirect, IngestBatch, NeverActor, Topic
from articles.search.indexing import index_clear

from .ingest_reference import reference_batch_run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

FROZEN = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
HEADER = " date 2024-04-08 "


@pytest.fixture
def frozen_clock(monkeypatch):
    """Every timestamp one instant: the two runs' rows then differ only where their work does."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    # The batch's start is its field's default (timezone.now, kept by the field when the model loaded).
    monkeypatch.setattr(IngestBatch._meta.get_field("started"), "_get_default", lambda: FROZEN)


def corpus(directory: Path, generated: int = 40) -> list[BatchFile]:
    writer = generate.ArticleWriter(7)
    texts = {f"{number:03d}-news.txt": writer.article(number) for number in range(generated)}
    news = texts["005-news.txt"]
    paragraphs = news.split("\n\n")
    texts |= {
        "100-near-duplicate.txt": "\n\n".join(paragraphs[:-1] + ["A spokesman declined to comment further on the talks."]),
        "101-same-text.txt": news.replace("\n\n", "\r\n\r\n"),
        "102-no-date.txt": "Talks went on in Geneva.",
        "103-empty.txt": "",
        "104-already-stored.txt": ARCHIVED,
        "105-many-actors.txt": HEADER + " ".join(
            f"Minister {given} Tal{surname}son met Premier {given} Vel{surname}sen in Oslo to discuss the budget."
            for given in ("Anna", "Carlos", "Ivan", "Olga", "Kofi", "Lars") for surname in "abcdefghij"),
        "106-alias.txt": HEADER + "Foreign Minister S. Lavrov met officials in Geneva. Talks on gas went on.",
        "107-merged-slug.txt": HEADER + "The Atlantic Alliance met in Brussels. Officials discussed air defence.",
        "108-surname.txt": HEADER + "Mr Halvorsen told reporters in Oslo that talks on fishing quotas would go on.",
        "109-full-name.txt": HEADER + "Foreign Minister Kari Halvorsen met her Swedish counterpart in Oslo on Monday.",
        "110-ruled-out.txt": HEADER + "Minister Nobody Special met Foreign Minister Sergei Lavrov in Moscow.",
    }
    files = []
    for name, text in sorted(texts.items()):
        (directory / name).write_text(text, encoding="utf-16" if name == "101-same-text.txt" else "utf-8")
        files.append(BatchFile(directory / name, str(directory / name)))
    return files


ARCHIVED = HEADER + "Gazprom and Beijing agreed on gas deliveries through the Power of Siberia pipeline."


def starting_archive() -> None:
    """The same archive before each run: topics, a few actors (an alias, a merged slug), one article."""
    call_command("flush", interactive=False, verbosity=0)  # ids start again
    for topic in DEFAULT_TOPICS:
        Topic.objects.create(slug=topic["slug"], name=topic["name"], keywords="\n".join(topic["keywords"]))
    Actor.objects.create(name="Sergei Lavrov", kind="person", slug="sergei-lavrov", aliases="S. Lavrov")
    nato = Actor.objects.create(name="NATO", kind="organisation", slug="nato", aliases="Atlantic Alliance")
    ActorRedirect.objects.create(old_slug="atlantic-alliance", actor=nato)
    NeverActor.objects.create(name="Nobody Special")
    index_clear()
    (Path(settings.INDEX_DIR).parent / "archived").mkdir(exist_ok=True)
    archived = Path(settings.INDEX_DIR).parent / "archived" / "archived.txt"
    archived.write_text(ARCHIVED)
    services.article_ingest(path=archived)


def archive_rows() -> dict[str, list]:
    """Every row of every table of the articles app, column by column (relation rows without their own ids)."""
    rows = {}
    for model in apps.get_app_config("articles").get_models(include_auto_created=True):
        pk = model._meta.pk.attname
        surrogate = {"id", pk} if model._meta.auto_created or pk == "m2m_history_id" else set()
        found = [{key: bytes(value) if isinstance(value, memoryview) else value
                  for key, value in row.items() if key not in surrogate}
                 for row in model.objects.order_by(pk).values()]
        rows[model._meta.db_table] = sorted(found, key=repr) if surrogate else found
    return rows


def archive_and_index() -> dict:
    state = {"rows": archive_rows()}
    if settings.SEARCH_ENGINE == "whoosh":
        from articles.search.engines.whoosh.backend import search_backend

        from .search.index_contents import index_contents

        state["index"] = index_contents(search_backend().index.refresh())
    return state


@pytest.mark.parametrize("workers", [0, 2], ids=["one file after another", "extraction in two workers"])
def test_batch_stores_what_the_plain_path_stores(search_index, tmp_path, frozen_clock, workers, monkeypatch):
    files = corpus(tmp_path)
    extracted_here = []  # extractions in this process (a worker's calls count in its own copy)
    prepare = ingest_ahead.article_prepare
    monkeypatch.setattr(ingest_ahead, "article_prepare", lambda *args: extracted_here.append(1) or prepare(*args))
    states = []
    fast = functools.partial(ingest_batch_run, heal_index=True, workers=workers)
    for run in (reference_batch_run, fast):
        starting_archive()
        batch = run(files=files, origin=IngestBatch.Origin.COMMAND)
        assert (batch.ingested, batch.duplicate, batch.refused) == (len(files) - 4, 2, 2)
        states.append(archive_and_index())
    plain, fast = states
    assert plain["rows"].keys() == fast["rows"].keys()
    for table in plain["rows"]:
        assert fast["rows"][table] == plain["rows"][table], table
    assert fast.get("index") == plain.get("index")
    # The corpus does what it is there for.
    assert Actor.objects.filter(slug__in=["kari-halvorsen", "sergei-lavrov", "nato"]).count() == 3
    assert not Actor.objects.filter(slug="halvorsen").exists()  # absorbed by the full name
    assert len(fast["rows"]["articles_article_actors"]) > 100
    assert any(row["version_of_id"] for row in fast["rows"]["articles_article"])
    assert len(extracted_here) == (0 if workers else len(files) - 4)

