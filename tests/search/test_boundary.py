"""One boundary: nothing outside an engine's package talks to Whoosh or Solr directly."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE_PACKAGES = {"whoosh": ROOT / "articles/search/engines/whoosh", "solr": ROOT / "articles/search/engines/solr"}
ENGINE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(whoosh|pysolr|haystack\.backends)\b", re.MULTILINE)


def test_no_module_outside_an_engine_package_imports_an_engine():
    offenders = []
    for folder in ("articles", "savedviews", "newsdesk"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(path.is_relative_to(package) for package in ENGINE_PACKAGES.values()):
                continue
            for match in ENGINE_IMPORT.finditer(path.read_text()):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []


@pytest.mark.parametrize("command, instead", [
    ("rebuild_index", "index_rebuild"), ("update_index", "index_check --repair"), ("clear_index", "index_rebuild"),
])
def test_haystack_index_commands_refuse_and_point_at_ours(command, instead, tmp_path):
    result = subprocess.run([sys.executable, "manage.py", command, "--noinput"], cwd=ROOT, capture_output=True, text=True,
                            env={"NEWSDESK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 2
    assert f"run `manage.py {instead}` instead" in result.stderr
    assert not (tmp_path / "whoosh").exists() or not any((tmp_path / "whoosh").iterdir())
