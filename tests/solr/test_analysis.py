"""Solr analyses text exactly as articles.search.analysis: the same terms at the same positions."""

import pytest

from .analysis_check import corpus, measure


@pytest.mark.parametrize("field_type", ["text_newsdesk", "text_spell"])
def test_solr_terms_equal_newsdesk_terms_over_the_corpus(solr_urls, field_type):
    texts = corpus()
    agreement = measure(solr_urls[0], texts, [field_type])[field_type]
    first = {name: pairs[:5] for name, pairs in list(agreement.differences.items())[:5]}
    assert agreement.differences == {}, f"{agreement.summary(field_type)}; (analyze(), solr) differences: {first}"
    assert agreement.texts == len(texts) and agreement.tokens > 10_000
