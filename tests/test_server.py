"""Through gunicorn with several workers: editors deleting and re-tagging at once lose nothing."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .admin_forms import article_form
from .engines import index_emptied

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 24
WORKERS = 4
PASSWORD = "a-long-test-password-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A gunicorn with several workers over its own data dir, holding ARTICLES articles."""
    with index_emptied():  # on Solr its processes share the cluster's collection
        yield from _server(tmp_path_factory)


def _server(tmp_path_factory):
    data = tmp_path_factory.mktemp("server")
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    env.pop("DATABASE_URL", None)
    files = data / "files"
    files.mkdir()
    for n in range(ARTICLES):
        (files / f"{n:02d}.txt").write_text(f" date 2024-02-{n + 1:02d} Officials discussed marker{n} in Geneva.")

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True)

    manage("migrate", "--noinput")
    manage("createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
    manage("collectstatic", "--noinput")
    manage("ingest", str(files))
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(gunicorn), "--config", "newsdesk/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base, manage
    proc.terminate()
    proc.wait(timeout=20)


def editor_session(base: str) -> urllib.request.OpenerDirector:
    """Log in to the admin like a browser; return an opener that keeps the session cookie."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    post_form(opener, f"{base}/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    return opener


def post_form(opener, url: str, fields: dict) -> str:
    """GET the form for its CSRF token (and the article's version, on its change form), then POST it; return the final page."""
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    version = re.search(r'name="edited_version" value="([^"]*)"', page)
    fields = {**fields, **({"edited_version": version.group(1)} if version else {})}
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True).encode()
    return opener.open(url, data=body, timeout=30).read().decode()


def search_json(base: str, **params) -> dict:
    with urllib.request.urlopen(f"{base}/search/?{urllib.parse.urlencode({**params, 'format': 'json'})}", timeout=30) as response:
        return json.load(response)


@pytest.mark.slow
def test_concurrent_admin_deletes_and_edits_through_several_workers(server):
    base, manage = server
    rows = [row for page in (1, 2) for row in search_json(base, q="officials", page=page)["results"]]
    marker = {row["id"]: re.search(r"marker\d+", row["headline"]).group() for row in rows}
    all_ids = sorted(marker)
    assert len(all_ids) == ARTICLES
    to_delete, to_retag = all_ids[::2], all_ids[1::2]

    def work(chunk: int):
        opener = editor_session(base)
        for article_id in to_delete[chunk::WORKERS]:
            post_form(opener, f"{base}/admin/articles/article/{article_id}/delete/", {"post": "yes"})
        for article_id in to_retag[chunk::WORKERS]:
            change = f"{base}/admin/articles/article/{article_id}/change/"
            page = opener.open(change, timeout=30).read().decode()
            headline = re.search(r'name="headline"[^>]*value="([^"]*)"', page).group(1)
            body = re.search(r'<textarea name="body"[^>]*>\s*(.*?)</textarea>', page, re.S).group(1)
            post_form(opener, change, article_form(headline=headline, date="2024-03-01", body=body))

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(work, range(WORKERS)))

    for article_id in to_delete:
        assert search_json(base, q=marker[article_id])["count"] == 0, f"deleted article {article_id} still found"
    assert search_json(base, q="officials")["count"] == len(to_retag)
    assert search_json(base, q="officials", to="2024-02-29")["count"] == 0  # every edit's new date is indexed
    assert manage("index_check").stdout.strip() == f"Index matches the database: {len(to_retag)} articles."
