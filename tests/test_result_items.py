"""A result row renders itself (ResultItem.__html__): exactly the markup the {% include %} per row gave."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from articles.facets import ResultItem

# templates/articles/_result.html, which ResultItem.__html__ replaced, kept as the plain path.
TEMPLATE_ROW = Template("""<li class="result">{% with url=article.get_absolute_url %}
  <h3 class="result__headline"><a href="{{ url }}{% if filters.q %}?hl={{ filters.q|urlencode }}{% endif %}">{{ article.headline }}</a></h3>
  <p class="result__meta"><time datetime="{{ article.date.isoformat }}">{{ article.date|date:"j F Y" }}</time>{% if article.version_count %} · <a class="result__versions" href="{{ url }}#versions">+{{ article.version_count }} similar version{{ article.version_count|pluralize }}</a>{% endif %}</p>
  <p class="result__snippet">{% if snippet %}{{ snippet }}{% else %}{{ article.lead|truncatewords:45 }}{% endif %}</p>
  {% if labels %}
  <ul class="tags" aria-label="Actors and topics: add as a filter">
    {% for label in labels %}<li>{{ label }}</li>{% endfor %}
  </ul>
  {% endif %}
{% endwith %}</li>
""")

HEADLINES = ['Talks on "Power of Siberia" & <gas> resume…', "Zürich: ministers meet"]
QUERIES = ["", 'gas "power of siberia" -oil & <b>', "Zürich"]
SNIPPETS = [None, mark_safe("the <mark>gas</mark> &amp; oil talks")]
LEADS = ["Short lead & <more>.", " ".join(f"word{n}" for n in range(60))]
LABELS = [[], [mark_safe('<a class="tag tag--country" href="/search/?actor=russia">Russia</a>'),
               mark_safe('<a class="tag tag--topic" href="/search/?topic=energy&amp;q=gas">Energy</a>')]]
VERSIONS = [None, 0, 1, 3, 12345]


def article(headline: str, lead: str, versions: int | None) -> SimpleNamespace:
    fields = {"headline": headline, "lead": lead, "date": datetime.date(2024, 3, 7),
              "get_absolute_url": lambda: "/articles/7/talks-on-power-of-siberia/"}
    if versions is not None:  # actor and topic pages do not count versions: no attribute at all
        fields["version_count"] = versions
    return SimpleNamespace(**fields)


@pytest.mark.parametrize("headline,q,snippet,lead,labels,versions",
                         list(itertools.product(HEADLINES, QUERIES, SNIPPETS, LEADS, LABELS, VERSIONS)))
def test_a_result_row_is_what_the_template_rendered(headline, q, snippet, lead, labels, versions):
    row = article(headline, lead, versions)
    expected = TEMPLATE_ROW.render(Context({"article": row, "snippet": snippet, "labels": labels,
                                            "filters": SimpleNamespace(q=q)}))
    assert str(ResultItem(row, snippet, labels, q)) == expected


def test_a_row_escapes_what_it_shows():
    row = article("<script>alert(1)</script>", "lead", 2)
    html = str(ResultItem(row, None, [], '"><script>'))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "+2 similar versions" in html


@pytest.mark.parametrize("label", ['Ministry of <Defence> & "Trade"', "Ōsaka", mark_safe("<b>kept</b>")])
def test_a_tag_link_is_what_format_html_gave(label):
    """LabelLink escapes as Django's conditional_escape does (text escaped, safe strings kept), without its lazy-string checks."""
    from django.utils.html import format_html
    from django.utils.translation import gettext_lazy

    from articles.facets import LabelLink

    for kind_label in ("Person", gettext_lazy("Topic")):
        link = LabelLink(label, "person", kind_label, "/search/?q=a&actor=x&b=<1>\"")
        assert str(link) == format_html('<a class="tag tag--{}" href="{}" title="{}: add as filter">{}</a>',
                                        "person", link.url, kind_label, label)
