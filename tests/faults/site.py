"""A Newsdesk of its own for a fault test: data dir, database, `manage.py` and gunicorn, run as an operator runs them.

Faults need real processes (kill -9 hits a process, a lock is held by another one), so each test
gets a site of its own: a data dir under tmp_path and, when the suite runs on PostgreSQL
(DATABASE_URL set, as `scripts/with-postgres` does), a throwaway database on that server. It
searches the suite's engine: its own Whoosh index, or under `scripts/with-solr` the cluster's
collection (emptied before and after each test: conftest.py).

    site = Site(tmp_path); site.manage("migrate"); site.corpus("batch", 100)
    with site.gunicorn(workers=2) as server: server.get("/search/?q=minister")
"""

import contextlib
import dataclasses
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "fault-suite-editor-password-73"
UPKEEP_SECONDS = "2"  # the web workers' upkeep looks every 2 s instead of every minute
# The run's search engine (the cluster of scripts/with-solr); on Whoosh each site has its own index.
SEARCH_ENGINE_SETTINGS = ("NEWSDESK_SEARCH_ENGINE", "NEWSDESK_SEARCH_URL", "NEWSDESK_SOLR_ALIAS")


class Site:
    def __init__(self, tmp_path: Path, **env: str):
        self.data = tmp_path / "data"
        self.files = tmp_path / "files"
        self.env = {key: value for key, value in os.environ.items()
                    if (not key.startswith(("NEWSDESK_", "GUNICORN_")) or key in SEARCH_ENGINE_SETTINGS)
                    and key != "DATABASE_URL"}
        self.env.update(NEWSDESK_DATA_DIR=str(self.data), SECRET_KEY="fault-suite-only", PYTHONUNBUFFERED="1",
                        NEWSDESK_INDEX_UPKEEP_SECONDS=UPKEEP_SECONDS, DJANGO_SUPERUSER_PASSWORD=PASSWORD, **env)
        self.database_url = _throwaway_database(os.environ.get("DATABASE_URL"))
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url
        self.processes: list[subprocess.Popen] = []

    @property
    def postgres(self) -> bool:
        return bool(self.database_url)

    # --- manage.py -------------------------------------------------------------------------
    def manage(self, *args: str, check: bool = True, timeout: float = 600, user: str | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([*_as(user), sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def start(self, *args: str, user: str | None = None, **env: str) -> subprocess.Popen:
        """Start `manage.py args` in the background, its output read line by line (process.stdout)."""
        process = subprocess.Popen([*_as(user), sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **env},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        return process

    @staticmethod
    def read_until_ingested(process: subprocess.Popen, count: int) -> int:
        """Read a running ingest's lines until `count` files were stored (or it ended); return how many were."""
        ingested = 0
        for line in process.stdout:
            ingested += line.startswith("ingested")
            if ingested >= count:
                break
        return ingested

    def prepare(self) -> None:
        """Migrate, create the editor account, collect static files."""
        self.manage("migrate", "--noinput")
        self.manage("createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")

    def corpus(self, name: str, count: int, start: int = 0, words: int = 0, people: int = 0) -> Path:
        """Write `count` article files (numbered from `start`) into files/<name>/.

        words: bulk text added to each; people: each file also names three people from a pool of
        this many, new to the archive (concurrent ingests then create the same actors at once).
        """
        directory = self.files / name
        directory.mkdir(parents=True, exist_ok=True)
        for n in range(start, start + count):
            filler = _filler(n, words)
            named = " ".join(f"Minister {_person(n * 3 + k, people)} spoke." for k in range(3)) if people else ""
            (directory / f"{n:05d}.txt").write_text(
                f" date 2024-{n % 12 + 1:02d}-{n % 28 + 1:02d} Foreign Minister Anna Example{n} met officials in Geneva "
                f"about file marker{n}z.\n\nTalks on trade and sanctions went on, said Nato and Vladimir Putin, in round {n}."
                + (f" {named}" if named else "") + (f"\n\n{filler}" if filler else "")
            )
        return directory

    # --- what the database and the index hold ------------------------------------------------
    def query(self, sql: str) -> list[tuple]:
        """Read the site's database directly (not through Django: its own process may be dead)."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                return connection.execute(sql).fetchall()
        with contextlib.closing(sqlite3.connect(f"file:{self.data / 'newsdesk.sqlite3'}?mode=ro", uri=True, timeout=30)) as connection:
            return connection.execute(sql).fetchall()

    def stored(self) -> dict[str, int]:
        """{source file name: how many articles came from it}."""
        return dict(self.query("SELECT source, COUNT(*) FROM articles_article GROUP BY source"))

    def index_matches(self) -> str:
        """`index_check`'s line when the index matches the database; AssertionError with its report otherwise."""
        check = self.manage("index_check", check=False)
        assert "Traceback" not in check.stderr, check.stderr
        line = check.stdout.strip()
        assert check.returncode == 0 and line.startswith("Index matches the database"), f"{line}\n{check.stderr}"
        return line

    def wait_for_index(self, seconds: float = 120) -> str:
        """Wait until index_check says the index matches (the upkeep or a drain catching up)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.index_matches()
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    # --- gunicorn ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def gunicorn(self, workers: int = 2, **env: str) -> Iterator["Server"]:
        port = free_port()
        log = self.data.parent / f"gunicorn-{port}.log"
        access = self.data.parent / f"access-{port}.log"
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "newsdesk/gunicorn.conf.py"],
            cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
                 "GUNICORN_ACCESSLOG": str(access), **env},
        )
        self.processes.append(process)
        server = Server(f"http://127.0.0.1:{port}", process, log, access)
        try:
            server.wait_until_up()
            yield server
        finally:
            stop(process)

    def close(self) -> None:
        for process in self.processes:
            stop(process)
        if self.database_url:
            _drop_database(self.database_url)


@dataclasses.dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path
    access_log: Path

    def wait_until_up(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()[-3000:]}"
            try:
                urllib.request.urlopen(self.base + "/admin/login/", timeout=10).read()
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer")

    def get(self, path: str, **params) -> tuple[int, str]:
        url = self.base + path + (f"?{urllib.parse.urlencode(params, doseq=True)}" if params else "")
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def search_count(self, **params) -> int:
        status, body = self.get("/search/", **params, format="json")
        assert status == 200, (status, body[:300])
        return json.loads(body)["count"]

    def workers(self) -> list[int]:
        """The pids of gunicorn's worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def problems(self) -> list[str]:
        """Tracebacks in gunicorn's log and server errors in its access log (503, "index unavailable", is an answer)."""
        import re

        found = [line for line in self.log.read_text().splitlines() if "Traceback" in line]
        if self.access_log.exists():
            found += [line for line in self.access_log.read_text().splitlines()
                      if (status := re.search(r'" (5\d\d) ', line)) and status.group(1) != "503"]
        return found


_VOCABULARY = ("delegates discussed tariffs sanctions grain pipeline harbour ministers envoys talks treaty border "
               "ceasefire budget election reform inflation exports drought summit parliament coalition court ruling "
               "protest strike vote census loan bond aid corridor shipping port convoy").split()


_GIVEN = "Anna Carlos Maria Peter John Ahmed Olga Ivan Fatima Kofi Diego Lars Sofia Pablo Elena".split()
_SYLLABLES = "ka lo mi ra sen to vu ber lin dor ash pel".split()


def _person(seed: int, pool: int) -> str:
    """One of `pool` made-up people ("Olga Kamira"), the same for the same seed modulo the pool."""
    import random

    rng = random.Random(seed % pool)
    return f"{rng.choice(_GIVEN)} {''.join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()}"


def _filler(seed: int, words: int) -> str:
    """`words` words of plain text, different for each seed (no two files read as versions of each other)."""
    import random

    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(_VOCABULARY) for _ in range(9)).capitalize() + "." for _ in range(words // 9)]
    return " ".join(sentences)


def _as(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


def free_port() -> int:
    """A free loopback port: within NEWSDESK_TEST_PORTS (e.g. 8700-8749) when set, else any."""
    wanted = os.environ.get("NEWSDESK_TEST_PORTS")
    if wanted:
        first, last = (int(part) for part in wanted.split("-"))
        candidates = range(first, last + 1)
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise AssertionError(f"no free port in {wanted}")


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process this suite started: SIGTERM, then SIGKILL."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _throwaway_database(url: str | None) -> str | None:
    """On PostgreSQL, a fresh database on the same server for this site; None on SQLite."""
    if not url:
        return None
    import psycopg

    name = f"newsdesk_fault_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def _drop_database(url: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/{os.environ['DATABASE_URL'].rsplit('/', 1)[1]}", autocommit=True) as connection:
        # After a large restore PostgreSQL's autovacuum (a superuser's process, which FORCE may not end) can
        # still be at work in the database for a moment: wait for it rather than fail the test's clean-up.
        for attempt in range(40):
            try:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if attempt == 39:
                    raise
                time.sleep(0.5)


class Editor:
    """An editor signed in to the admin through gunicorn, as a browser is (session cookie, CSRF token)."""

    def __init__(self, server: Server):
        import http.cookiejar

        self.server = server
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.login_status = self.post("/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/"})[0]

    def page(self, path: str) -> str:
        with self.opener.open(self.server.base + path, timeout=120) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict, files: list[Path] = ()) -> tuple[int, str]:
        """GET the form for its CSRF token, then POST the fields (and files, multipart); return (status, page)."""
        import re

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page(path)).group(1)
        fields = {**fields, "csrfmiddlewaretoken": token}
        if files:
            body, content_type = _multipart(fields, "files", files)
        else:
            body, content_type = urllib.parse.urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.server.base + path, data=body, headers={
            "Content-Type": content_type, "Referer": self.server.base + path})
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _multipart(fields: dict, file_field: str, files: list[Path]) -> tuple[bytes, str]:
    boundary = f"----newsdesk{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for path in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
                     f"Content-Type: text/plain\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
