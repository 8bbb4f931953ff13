"""The app under test: a Newsdesk checkout (the working tree or a git snapshot), and the
environment its processes get, including which search engine it uses.

Engines: the app reads NEWSDESK_SEARCH_ENGINE and NEWSDESK_SEARCH_URL. Each entry of
ENGINES says what the benchmark passes for one engine; only Whoosh (the default, an index
directory in the data dir) is measured today. A server engine (Solr) adds an entry whose
env names its URL, and a start/stop of that server around the run.
"""

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VAR = BENCH / "var"


@dataclasses.dataclass(frozen=True)
class Engine:
    name: str  # NEWSDESK_SEARCH_ENGINE
    label: str  # in the report
    url: str = ""  # NEWSDESK_SEARCH_URL, for a server engine

    def env(self) -> dict[str, str]:
        env = {"NEWSDESK_SEARCH_ENGINE": self.name}
        if self.url:
            env["NEWSDESK_SEARCH_URL"] = self.url
        return env


ENGINES = {"whoosh": Engine("whoosh", "Whoosh")}
ENGINE = [ENGINES["whoosh"]]  # the engine of this run


class App:
    """A Newsdesk checkout run with this Python."""

    def __init__(self, directory: Path, description: str):
        self.dir, self.description = directory, description

    def manage(self, env: dict, *args: str, check: bool = True, timeout: float = 4 * 3600) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=self.dir, env=env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def prepare_app(ref: str | None, require_packages=None) -> App:
    """Return the app to measure: the working tree, or `git archive REF` under bench/var/
    (with its pinned packages installed into this Python by require_packages, when given)."""
    if ref:
        sha = git("rev-parse", ref)
        target = VAR / f"app-{sha[:12]}"
        if not (target / "manage.py").exists():
            target.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", "archive", sha], cwd=REPO, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        named = "" if sha.startswith(ref) else f"{ref} at the time, "
        app = App(target, f"commit {sha[:12]} ({named}exported with git archive)")
    else:
        sha = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench"))
        app = App(REPO, f"working tree at {sha[:12]}" + (" with uncommitted changes" if dirty else ""))
    if require_packages:
        require_packages(app.dir / "requirements.txt")
    scratch = VAR / "check"
    result = app.manage(app_env(scratch), "check", check=False)
    shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode != 0:
        raise SystemExit(f"`manage.py check` fails in {app.dir}:\n{result.stderr[-1500:]}\n"
                         "Measure a commit instead: --app-ref HEAD")
    return app


def app_env(data_dir: Path, **extra: str) -> dict:
    """The environment of every app process: default settings, data in data_dir, this run's
    search engine, no private/HTTPS/debug mode."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NEWSDESK_", "GUNICORN_")) and key not in ("DATABASE_URL", "ALLOWED_HOSTS", "SECRET_KEY")}
    env.update(NEWSDESK_DATA_DIR=str(data_dir), SECRET_KEY="bench-only-not-secret", PYTHONUNBUFFERED="1",
               **ENGINE[0].env(), **extra)
    return env
