"""Solr indexes exactly Newsdesk's terms: its analysis of every text equals analysis.analyze's, token by token.

Needs the cluster of scripts/with-solr; `python -m tests.solr.analysis_agreement` prints the figures.
"""

import pytest

from articles.search.engines import engine

from ..engines import needs_solr
from .analysis_agreement import FIELD_TYPES, corpus, newsdesk_tokens, solr_tokens

pytestmark = needs_solr
TEXTS = corpus()


@pytest.mark.parametrize("field_type", FIELD_TYPES)
@pytest.mark.parametrize("name", TEXTS)
def test_solr_tokens_equal_newsdesk_tokens(name, field_type):
    # (term, position, start, end): the same words, the same positions (stop words close up), the same spans.
    assert solr_tokens(engine(), field_type, TEXTS[name]) == newsdesk_tokens(TEXTS[name], FIELD_TYPES[field_type])
