"""Fixtures for the browser tests: gunicorn over the dev set, Debian's Chromium driven by Playwright, axe-core."""

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from .accessibility import AXE
from ..engines import index_emptied
from ..faults.site import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEVSET = ROOT / "tests" / "devset"
CHROMIUM = "/usr/bin/chromium"
WORKERS = 3
EDITOR, PASSWORD = "editor", "a-long-browser-test-password-42"
# No download, sync or update traffic: this machine has no network beyond loopback.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's Chromium against gunicorn (make install-test sets it up)")


@dataclass
class Site:
    base: str
    data: Path

    def url(self, path: str) -> str:
        return self.base + path

    def manage(self, *args: str) -> str:
        """Run manage.py over the site's data dir; its output (the test fails when it does)."""
        return manage(self.data, *args)


def site_env(data: Path) -> dict:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    for name in ("DATABASE_URL", "NEWSDESK_INDEX_DIR", "NEWSDESK_DEBUG", "NEWSDESK_PRIVATE", "NEWSDESK_HTTPS"):
        env.pop(name, None)
    return env


def manage(data: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], env=site_env(data), cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"manage.py {args[0]} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Gunicorn with several workers over its own data dir: the dev set ingested, one superuser."""
    with index_emptied():  # on Solr its processes share the cluster's collection
        yield from _site(tmp_path_factory)


def _site(tmp_path_factory):
    data = tmp_path_factory.mktemp("browser-site")
    env = site_env(data)
    manage(data, "migrate", "--noinput")
    manage(data, "createsuperuser", "--noinput", "--username", EDITOR, "--email", "editor@example.org")
    manage(data, "collectstatic", "--noinput")
    manage(data, "ingest", *sorted(str(path) for path in DEVSET.glob("*.txt")))
    port = free_port()
    log = (data / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "newsdesk/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, proc, data / "gunicorn.log")
        yield Site(base, data)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_until_serving(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer on {base} within 30 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module, closed (with Playwright's driver) even when a test fails."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install-test` (as root it installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, site):
    """A fresh browser context (no cookies) with relative URLs resolved against the test site."""
    context = browser.new_context(base_url=site.base)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_page(browser, site):
    """A page in which axe-core is loaded on every navigation (as an init script, so the CSP does not block it)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install-test` (npm ci in tests/browser/).")
    context = browser.new_context(base_url=site.base)
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE))
    try:
        yield context.new_page()
    finally:
        context.close()

