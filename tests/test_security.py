"""Secure defaults: headers, login throttling, private mode, production checks."""

import contextlib
import datetime
import io
import logging
import os
import runpy
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from pydoc import locate

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from gunicorn.config import Config
from gunicorn.glogging import Logger

from newsdesk.client_address import client_address

ROOT = Path(__file__).resolve().parent.parent


def test_pages_send_security_headers(client, search_index):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_has_inline_script(client, small_archive):
    for url in ["/", "/search/?q=gas", small_archive["gas"].get_absolute_url(), "/actors/vladimir-putin/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html.replace("&lt;script&gt;", "") and "onclick=" not in html, url


def test_password_guessing_is_locked_out(client, transactional_db):
    User.objects.create_user("editor", password="the-right-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor", "password": "wrong", "next": "/admin/"})
    response = client.post("/admin/login/", {"username": "editor", "password": "the-right-password-1", "next": "/admin/"})
    assert response.status_code == 429
    assert not client.get("/admin/").wsgi_request.user.is_authenticated


def test_right_password_logs_in_before_the_limit(client, transactional_db):
    User.objects.create_user("editor", password="the-right-password-1", is_staff=True)
    client.post("/admin/login/", {"username": "editor", "password": "wrong", "next": "/admin/"})
    response = client.post("/admin/login/", {"username": "editor", "password": "the-right-password-1", "next": "/admin/"})
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/", "/search/?q=gas", "/actors/vladimir-putin/", "/search/?format=csv"])
def test_private_mode_requires_login_for_every_page(client, small_archive, url):
    middleware = [*settings.MIDDLEWARE]
    middleware.insert(middleware.index("django.contrib.messages.middleware.MessageMiddleware"), "django.contrib.auth.middleware.LoginRequiredMiddleware")
    with override_settings(MIDDLEWARE=middleware):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
        client.force_login(User.objects.create_user("reader", password="x-unused-x"))
        assert client.get(url).status_code == 200


def test_deploy_check_is_clean_with_documented_production_settings(tmp_path):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_HTTPS": "1",
           "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789", "ALLOWED_HOSTS": "news.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_gunicorn_refuses_to_serve_in_debug_mode(tmp_path):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_DEBUG": "1", "GUNICORN_BIND": "127.0.0.1:0"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run([str(gunicorn), "--config", "newsdesk/gunicorn.conf.py"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "will not serve Newsdesk in debug mode" in result.stderr + result.stdout


# Login throttling behind the proxy, and per source address

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
RIGHT = "the-right-password-1"


def sign_in(client, username, password, remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@FAST_HASHER
def test_behind_the_proxy_a_lockout_holds_only_the_guessing_client(client, transactional_db):
    User.objects.create_user("editor", password=RIGHT)
    for _ in range(settings.AXES_FAILURE_LIMIT):  # nginx on 127.0.0.1 forwards for the guesser
        sign_in(client, "editor", "wrong", forwarded="6.6.6.6, 203.0.113.66")
    assert sign_in(client, "editor", RIGHT, forwarded="203.0.113.66").status_code == 429
    assert sign_in(client, "editor", RIGHT, forwarded="198.51.100.7").status_code == 302  # the editor, elsewhere


@FAST_HASHER
def test_a_forwarded_address_from_an_untrusted_sender_is_ignored(client, transactional_db):
    User.objects.create_user("editor", password=RIGHT)
    for n in range(settings.AXES_FAILURE_LIMIT):  # a new made-up X-Forwarded-For for each guess
        sign_in(client, "editor", "wrong", remote="192.0.2.10", forwarded=f"198.51.100.{n}")
    assert sign_in(client, "editor", RIGHT, remote="192.0.2.10", forwarded="198.51.100.200").status_code == 429


@FAST_HASHER
def test_spraying_guesses_over_many_accounts_is_throttled_per_address(client, transactional_db):
    names = [f"user{n}" for n in range(30)]
    for name in names:
        User.objects.create_user(name, password=RIGHT)
    statuses = [sign_in(client, name, f"guess{n}", forwarded="203.0.113.66").status_code for n in range(4) for name in names]
    assert statuses.count(200) == settings.LOGIN_FAILURES_PER_ADDRESS  # the form again, "wrong password"
    assert statuses.count(429) == 120 - settings.LOGIN_FAILURES_PER_ADDRESS
    assert sign_in(client, "user0", RIGHT, forwarded="203.0.113.66").status_code == 429  # even a right guess
    assert sign_in(client, "user0", RIGHT, forwarded="198.51.100.7").status_code == 302


@FAST_HASHER
def test_spraying_from_many_ipv6_addresses_of_one_network_is_throttled_as_one_source(client, transactional_db):
    names = [f"user{n}" for n in range(30)]
    for name in names:
        User.objects.create_user(name, password=RIGHT)
    statuses = [sign_in(client, name, f"guess{n}", forwarded=f"2001:db8:1:2:{n:x}:{index:x}::9").status_code
                for n in range(4) for index, name in enumerate(names)]  # a new address of the /64 each time
    assert statuses.count(200) == settings.LOGIN_FAILURES_PER_ADDRESS
    assert statuses.count(429) == 120 - settings.LOGIN_FAILURES_PER_ADDRESS
    assert sign_in(client, "user0", RIGHT, forwarded="2001:db8:1:2::77").status_code == 429
    assert sign_in(client, "user0", RIGHT, forwarded="2001:db8:1:3::77").status_code == 302  # another network


@pytest.mark.parametrize("remote, forwarded, expected", [
    ("127.0.0.1", "", "127.0.0.1"),
    ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
    ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part is what the client wrote
    ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # two proxies on the machine
    ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ("192.0.2.10", "203.0.113.9", "192.0.2.10"),  # not a proxy: its X-Forwarded-For means nothing
    ("::1", "2001:db8::7", "2001:db8::7"),
])
def test_client_address_believes_only_trusted_proxies(rf, remote, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert client_address(request) == expected


@pytest.mark.parametrize("preload, expected", [({}, "False True"), ({"NEWSDESK_HSTS_PRELOAD": "1"}, "True True")])
def test_hsts_preload_is_off_unless_asked_for(tmp_path, preload, expected):
    env = {key: value for key, value in os.environ.items() if key != "NEWSDESK_HSTS_PRELOAD"}
    env.update(NEWSDESK_DATA_DIR=str(tmp_path), NEWSDESK_HTTPS="1", SECRET_KEY="x" * 60, **preload)
    show = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS > 0)"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", show], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    assert result.stdout.strip() == expected, result.stderr


# Feed, share and export tokens stay out of the logs

def test_the_access_log_leaves_out_feed_and_share_tokens():
    conf = runpy.run_path(str(ROOT / "newsdesk" / "gunicorn.conf.py"))
    logger_class = locate(conf["logger_class"])
    assert issubclass(logger_class, Logger)
    config = Config()
    logger = logger_class(config)
    token, share = "Xy3_secret-token-AAAA", "Zq9_share-token-BBBB"
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/saved/feed/{token}/?page=2", "PATH_INFO": f"/saved/feed/{token}/",
        "QUERY_STRING": "page=2", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://news.example.org/shared/{share}/", "HTTP_USER_AGENT": "reader",
    }
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, [], environ, datetime.timedelta(seconds=0, microseconds=5))
    line = config.access_log_format % atoms
    assert token not in line and share not in line
    assert '"GET /saved/feed/…/?page=2 HTTP/1.1"' in line and '"https://news.example.org/shared/…/"' in line


@pytest.mark.parametrize("raw_uri, logged", [
    ("/exports/Ex9_export-token-CCCC/newsdesk-2024.csv", '"GET /exports/…/newsdesk-2024.csv HTTP/1.1"'),
    ("/%73aved/feed/Ex9_export-token-CCCC/", '"GET /%73aved/feed/…/ HTTP/1.1"'),  # Django decodes and serves it
    ("/sh%61red/Ex9_export-token-CCCC/?x=1", '"GET /sh%61red/…/?x=1 HTTP/1.1"'),
])
def test_the_access_log_leaves_out_export_tokens_and_encoded_ones(raw_uri, logged):
    conf = runpy.run_path(str(ROOT / "newsdesk" / "gunicorn.conf.py"))
    config = Config()
    logger = locate(conf["logger_class"])(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": raw_uri, "PATH_INFO": raw_uri, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}
    response = types.SimpleNamespace(status="200 OK", sent=10, headers=[])
    line = config.access_log_format % logger.atoms(response, [], environ, datetime.timedelta(microseconds=5))
    assert "Ex9_export-token-CCCC" not in line
    assert logged in line


@contextlib.contextmanager
def console_log() -> Iterator[io.StringIO]:
    """What settings.LOGGING's console handler writes meanwhile (through its filters), instead of to stderr."""
    handlers = [handler for handler in logging.getLogger().handlers if isinstance(handler, logging.StreamHandler)]
    assert handlers, "settings.LOGGING's console handler"
    stream = io.StringIO()
    previous = [handler.setStream(stream) for handler in handlers]
    try:
        yield stream
    finally:
        for handler, old in zip(handlers, previous):
            handler.setStream(old)


def test_the_apps_own_log_leaves_out_tokens(client, db):
    """Django names the path of a page it refuses or cannot find ("Not Found: /saved/feed/<token>/x")."""
    token = "Zq9_feed-token-DDDD"
    with console_log() as log:
        assert client.get(f"/saved/feed/{token}/no-such-page").status_code == 404
        assert client.post(f"/saved/feed/{token}/").status_code in (403, 404, 405)
        assert client.get(f"/exports/{token}/").status_code == 404
    logged = log.getvalue()
    assert "Not Found: /saved/feed/…/no-such-page" in logged and "Not Found: /exports/…/" in logged
    assert token not in logged


def test_a_refused_request_is_logged_in_one_line(client, db):
    """Django refuses a request with too many fields (400) and logs it: one line, no traceback."""
    with console_log() as log:
        assert client.get("/search/?" + "&".join(f"p{n}=1" for n in range(5000))).status_code == 400
    lines = log.getvalue().splitlines()
    assert "Traceback (most recent call last):" not in lines
    assert any(line.startswith("The number of GET/POST parameters exceeded") for line in lines), lines
