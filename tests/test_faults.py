"""Faults: an ingest killed with SIGKILL in the middle of a batch loses and duplicates nothing."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = 400


@pytest.mark.slow
def test_ingest_killed_mid_batch_then_rerun_ingests_every_file_once(tmp_path, empty_index):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(FILES):
        (corpus / f"{n:04d}.txt").write_text(
            f" date 2024-01-{n % 28 + 1:02d} Foreign Minister Anna Example{n} met officials in Geneva about file {n}.\n\n"
            f"Talks on trade and sanctions went on, officials said, in round {n}."
        )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    first = subprocess.Popen([*manage, "ingest", str(corpus)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    ingested_lines = 0
    for line in first.stdout:  # wait until it is well into the batch, then kill it hard
        ingested_lines += line.startswith("ingested")
        if ingested_lines >= FILES // 3:
            break
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL

    second = subprocess.run([*manage, "ingest", str(corpus)], env=env, cwd=ROOT, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    summary = second.stdout.splitlines()[-1]
    ingested, duplicate = (int(summary.split(f" {word}")[0].split()[-1]) for word in ("ingested", "duplicate"))
    assert ingested + duplicate == FILES and duplicate >= FILES // 3, summary
    count = subprocess.run(
        [*manage, "shell", "-v", "0", "-c", "from articles.models import Article; print(Article.objects.count(), Article.objects.filter(actors__isnull=True).count())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert count.stdout.split() == [str(FILES), "0"]  # each file once, none half-written (all have actors)
    check = subprocess.run([*manage, "index_check"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert check.stdout.strip() == f"Index matches the database: {FILES} articles.", check.stdout
