"""bench/segment_merge_speed.py runs: both merges of an archive's small segments, timed, with deletions too."""

import sys
from pathlib import Path

import pytest

from articles.search.engines.whoosh.backend import backend_at

from ..engines import whoosh_only
from .test_whoosh_merging import segmented
from .test_whoosh_writing_fast import documents

pytestmark = whoosh_only

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import segment_merge_speed  # noqa: E402


@pytest.mark.parametrize("deleted", [0, 2])
def test_it_times_both_merges(tmp_path, capsys, deleted):
    segmented(backend_at(tmp_path / "archive" / "data" / "whoosh"), documents(40, seed=4), sizes=(8, 8, 8, 8, 8))
    segment_merge_speed.main(["--archive", str(tmp_path / "archive"), "--max-docs", "8", "--deleted", str(deleted),
                              "--work", str(tmp_path / "work")])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["Whoosh", "block"]
    assert all(f"5 segments, {40 - 5 * deleted} live documents" in line for line in lines)
    assert not (tmp_path / "work").exists()
