"""SolrCloud shows what Whoosh shows: the same counts, facets, rows and snippets for the same archive."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from ..engines import needs_solr
from .same_as_whoosh import DEVSET, ROOT, view_figures

pytestmark = needs_solr


def test_every_view_shows_the_same_as_on_whoosh(client, search_index, default_topics, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NEWSDESK_", "DATABASE_URL"))}
    env.update(NEWSDESK_DATA_DIR=str(tmp_path), NEWSDESK_SEARCH_ENGINE="whoosh")
    on_whoosh = subprocess.run([sys.executable, "-m", "tests.solr.same_as_whoosh"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=600)
    assert on_whoosh.returncode == 0, on_whoosh.stderr
    call_command("ingest", *DEVSET, stdout=io.StringIO())
    on_solr = view_figures(client)
    whoosh = json.loads(on_whoosh.stdout)
    assert sum(figures["count"] for figures in on_solr.values()) > 100  # views that find something
    for view, figures in whoosh.items():
        assert on_solr[view] == figures, view
