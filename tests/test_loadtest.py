"""loadtest/run.py, small: readers and an editor at once, then 0 failures, every deleted article gone, index == database.

The full run (10,000 articles, 32 clients, 60 s) is `.venv/bin/python loadtest/run.py`; this keeps it
from rotting (its editor once posted a form the admin no longer had, and every add failed).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .faults.site import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_short_load_test_passes(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the load test runs on its own SQLite data dir: once per CI run is enough")
    outcome = tmp_path / "outcome.json"
    run = subprocess.run(
        [sys.executable, "loadtest/run.py", "--articles", "60", "--clients", "2", "--seconds", "30", "--workers", "2",
         "--no-results-file", "--port", str(free_port()), "--json", str(outcome)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    assert outcome.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(outcome.read_text())
    assert result["requests"] > 0 and result["failures"] == 0, run.stdout[-3000:]
    assert result["editor_failures"] == [] and result["editor_http_errors"] == 0
    assert result["editor"]["add"]["done"] >= 1 and result["editor"]["edit"]["done"] >= 1
    deleted = [check for check in result["checks"] if check["label"].startswith("deleted article")]
    assert deleted and all(check["got"] == 0 for check in deleted)  # every deleted article gone
    assert all(check["ok"] for check in result["checks"]), [c for c in result["checks"] if not c["ok"]]
    assert result["index_check"].startswith("Index matches the database")
    assert result["gunicorn_problems"] == []
    assert result["ok"] and run.returncode == 0
