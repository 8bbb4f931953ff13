"""Solr analyses text exactly as the Whoosh analyzer: same tokens, positions and spans."""

import pytest

from .analysis_check import corpus, measure


@pytest.mark.parametrize("field_type", ["text_newsdesk", "text_spell"])
def test_solr_tokens_equal_whoosh_tokens_over_the_corpus(solr_urls, field_type):
    texts = corpus()
    agreement = measure(solr_urls[0], texts, [field_type])[field_type]
    first = {name: pairs[:5] for name, pairs in list(agreement.differences.items())[:5]}
    assert agreement.differences == {}, f"{agreement.summary(field_type)}; (whoosh, solr) differences: {first}"
    assert agreement.texts == len(texts) and agreement.tokens > 10_000
