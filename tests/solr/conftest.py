"""Fixtures for tests against the SolrCloud that scripts/with-solr starts.

Without it (NEWSDESK_SEARCH_URL unset) these tests skip:

    scripts/with-solr .venv/bin/python -m pytest tests/solr
"""

import os
import shlex
import subprocess

import pytest

from .documents import delete_sample_documents, index_documents


def configured_solr_urls() -> list[str]:
    """The node base URLs scripts/with-solr exported, or []."""
    return [url.strip() for url in os.environ.get("NEWSDESK_SEARCH_URL", "").split(",") if url.strip()]


NEEDS_SOLR = "needs a SolrCloud: run under scripts/with-solr (NEWSDESK_SEARCH_URL)"


@pytest.fixture(scope="session")
def solr_urls() -> list[str]:
    urls = configured_solr_urls()
    if not urls:
        pytest.skip(NEEDS_SOLR)
    return urls


@pytest.fixture(scope="session")
def solr_control():
    """Run the cluster's control command (NEWSDESK_SOLR_CONTROL): control("kill", "2")."""
    command = os.environ.get("NEWSDESK_SOLR_CONTROL")
    if not configured_solr_urls() or not command:
        pytest.skip(NEEDS_SOLR + " and NEWSDESK_SOLR_CONTROL")

    def control(*args: str) -> str:
        result = subprocess.run(shlex.split(command) + list(args), capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{command} {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
        return result.stdout

    return control


@pytest.fixture
def sample_documents(solr_urls):
    """Index sample documents through the alias; every sample document is deleted afterwards."""
    url = solr_urls[0]
    delete_sample_documents(url)
    yield lambda documents: index_documents(url, documents)
    delete_sample_documents(url)

