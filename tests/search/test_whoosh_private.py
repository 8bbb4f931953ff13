"""The Whoosh engine's uses of Whoosh internals are all listed, and all still there."""

import re
from pathlib import Path

import articles.search.engines.whoosh as whoosh_engine
from articles.search.engines.whoosh.private import PRIVATE_USES, private_use_problems

from ..engines import whoosh_only

pytestmark = whoosh_only


def test_every_private_use_is_still_there():
    assert private_use_problems() == []


def test_every_private_attribute_the_engine_reads_is_listed():
    listed = {name for use in PRIVATE_USES for name in use.names}
    package = Path(whoosh_engine.__file__).parent
    used = set()
    for path in package.glob("*.py"):
        if path.name == "private.py":
            continue
        # obj._name, not self._name (our own)
        used |= set(re.findall(r"(?<![\w.])(?!self\.)\w+\.(_[a-z]\w*)", path.read_text()))
    assert used <= listed, used - listed


def _check_repeatedly(_):
    return [problem for _ in range(5) for problem in private_use_problems()]


def test_the_check_runs_in_many_processes_at_once():
    """Every manage.py command runs it: side by side, one process's scratch index must not delete another's files."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_check_repeatedly, range(8)) == [[]] * 8


def test_the_check_leaves_no_folder_behind(tmp_path, monkeypatch):
    """Every manage.py command runs it: each run left two empty folders in /tmp."""
    import gc
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert private_use_problems() == []
    gc.collect()
    assert list(tmp_path.iterdir()) == []
