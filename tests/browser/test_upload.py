"""In Debian's Chromium against gunicorn: an editor uploads files in the admin and finds the new article in search."""

import re

import pytest

from .accessibility import axe_violations
from .conftest import EDITOR, PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]

GOOD = " date 2024-06-01 Negotiators in Valletta signed a zebrafinch accord on Monday.\n\nIt covers fishing rights."


def log_in(page):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_editor_uploads_files_sees_each_result_and_finds_the_article(axe_page):
    page = axe_page  # axe-core is loaded on every page it opens
    log_in(page)
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Upload files").click()
    page.wait_for_url(re.compile(r"/admin/articles/article/upload/$"))
    assert not axe_violations(page), axe_violations(page)

    page.get_by_label("Files").set_input_files([
        {"name": "zebrafinch.txt", "mimeType": "text/plain", "buffer": GOOD.encode()},
        {"name": "undated.txt", "mimeType": "text/plain", "buffer": b"No date header here."},
    ])
    page.get_by_role("button", name="Upload and ingest").click()
    page.wait_for_load_state()
    assert page.locator(".ingest-summary").inner_text() == "2 files: 1 ingested, 0 duplicate, 1 refused."
    rows = [" ".join(row.split()) for row in page.locator(".ingest-results tbody tr").all_inner_texts()]
    assert rows[0].startswith("ingested zebrafinch.txt article ") and "Negotiators in Valletta" in rows[0], rows
    assert rows[1].startswith("refused undated.txt no date header"), rows
    assert not axe_violations(page), axe_violations(page)

    page.goto("/search/?q=zebrafinch")
    assert " ".join(page.locator("#results-heading").inner_text().split()) == "1 result for “zebrafinch”"
