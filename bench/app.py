"""The app under test: a Newsdesk checkout (the working tree or a git snapshot), and the
environment its processes get, including which search engine it uses.

Engines: the app reads NEWSDESK_SEARCH_ENGINE and NEWSDESK_SEARCH_URL. Each entry of
ENGINES says what the benchmark passes for one engine. Whoosh (the default, an index
directory in the data dir) builds and serves every size; `--engine solr` also serves the
same mix on SolrCloud (bench/engines.py), whose node URLs come from the NEWSDESK_SEARCH_URL
that scripts/with-solr exports (run.py starts itself under it).
"""

import contextlib
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


ENGINES = {"whoosh": Engine("whoosh", "Whoosh"), "solr": Engine("solr", "SolrCloud")}
ENGINE = [ENGINES["whoosh"]]  # the engine the app's processes get now


def server_engine(name: str) -> Engine:
    """A server engine with this run's node URLs (NEWSDESK_SEARCH_URL, read before app_env drops it)."""
    url = os.environ.get("NEWSDESK_SEARCH_URL", "")
    if not url:
        raise SystemExit(f"--engine {name} needs NEWSDESK_SEARCH_URL (run under scripts/with-solr)")
    return dataclasses.replace(ENGINES[name], url=url)


@contextlib.contextmanager
def using(engine: Engine):
    """App processes started inside get this engine; Whoosh again afterwards."""
    previous, ENGINE[0] = ENGINE[0], engine
    try:
        yield engine
    finally:
        ENGINE[0] = previous


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
