"""Secure defaults: headers, login throttling, private mode, production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

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
