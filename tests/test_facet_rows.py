"""A facet value renders its own row (FacetValue.__html__): the same markup the template loop gave."""

import itertools

import pytest
from bs4 import BeautifulSoup, NavigableString
from django.template import Context, Template

from articles.facets import FacetValue

# The template loop FacetValue.__html__ replaced (templates/articles/_facets.html before it), kept as the plain path.
TEMPLATE_ROW = Template("""
    <li class="facet__row{% if value.excluded %} is-excluded{% endif %}">
      {% if value.excluded %}
      <a href="{{ value.not_url }}" class="facet__value" aria-current="true"><span class="facet__label"><span class="visually-hidden">Stop excluding: </span><s>{{ value.label }}</s></span><span class="facet__count">excluded</span></a>
      {% else %}
      <a href="{{ value.url }}"{% if value.selected %} aria-current="true" class="facet__value is-selected"{% else %} class="facet__value{% if value.in_any %} is-any{% endif %}"{% endif %}>
        <span class="facet__label">{% if value.selected %}<span class="visually-hidden">Remove filter: </span>{% endif %}{{ value.label }}</span>
        <span class="facet__count">{{ value.count }}</span></a>
      {% if value.any_url %}<span class="facet__more">
        <a href="{{ value.any_url }}" title="{% if value.in_any %}Remove from the either-or set{% else %}Match this or the other “or” values{% endif %}"{% if value.in_any %} aria-current="true"{% endif %}>or<span class="visually-hidden"> {{ value.label }}</span></a>
        <a href="{{ value.not_url }}" title="Leave out articles with {{ value.label }}">not<span class="visually-hidden"> {{ value.label }}</span></a>
      </span>{% endif %}
      {% endif %}
    </li>""")


def shape(html: str) -> list:
    """Elements, attributes and text in document order; runs of whitespace read as one space, as a browser shows them."""
    def walk(node):
        for child in node.children:
            if isinstance(child, NavigableString):
                text = " ".join(child.split())
                if text or child[:1].isspace():
                    yield ("text", text or " ")
            else:
                yield ("tag", child.name, sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in child.attrs.items()))
                yield from walk(child)
                yield ("end", child.name)
    events = list(walk(BeautifulSoup(html, "html.parser")))
    # Whitespace next to a tag boundary inside the row is layout only; keep the text between words.
    return [event for event in events if event != ("text", " ")]


LABELS = ["Ministry of <Defence> & \"Trade\"", "Ōsaka", "plain"]


@pytest.mark.parametrize("label,selected,in_any,excluded,with_more", list(itertools.product(LABELS, *[(False, True)] * 4)))
def test_a_facet_row_is_what_the_template_rendered(label, selected, in_any, excluded, with_more):
    value = FacetValue(label=label, count=1234, url="/search/?q=a&actor=x&b=<1>", selected=selected,
                       any_url="/search/?actor_any=x&q=a" if with_more else "", in_any=in_any,
                       not_url="/search/?actor_not=x&q=\"a\"", excluded=excluded)
    assert shape(str(value)) == shape(TEMPLATE_ROW.render(Context({"value": value})))


def test_the_row_keeps_the_space_between_its_or_and_not_links():
    value = FacetValue(label="Oman", count=3, url="/u", selected=False, any_url="/a", not_url="/n")
    more = BeautifulSoup(str(value), "html.parser").select_one(".facet__more")
    assert more.get_text() == "or Oman not Oman"


@pytest.mark.parametrize("label,selected,in_any,excluded,with_more", list(itertools.product(LABELS, *[(False, True)] * 4)))
def test_a_facet_row_is_character_for_character_what_format_html_gave(label, selected, in_any, excluded, with_more):
    """The row built with format_html before it was built from plain escaped strings (a tenth of a page faster)."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    value = FacetValue(label=label, count=1234, url="/search/?q=a&actor=x&b=<1>", selected=selected,
                       any_url="/search/?actor_any=x&q=a" if with_more else "", in_any=in_any,
                       not_url="/search/?actor_not=x&q=\"a\"", excluded=excluded)
    if excluded:
        expected = format_html(
            '<li class="facet__row is-excluded"><a href="{}" class="facet__value" aria-current="true">'
            '<span class="facet__label"><span class="visually-hidden">Stop excluding: </span><s>{}</s></span>'
            '<span class="facet__count">excluded</span></a></li>', value.not_url, value.label)
    else:
        if selected:
            link = format_html(
                '<a href="{}" aria-current="true" class="facet__value is-selected"><span class="facet__label">'
                '<span class="visually-hidden">Remove filter: </span>{}</span> <span class="facet__count">{}</span></a>',
                value.url, value.label, value.count)
        else:
            link = format_html(
                '<a href="{}" class="{}"><span class="facet__label">{}</span> <span class="facet__count">{}</span></a>',
                value.url, "facet__value is-any" if in_any else "facet__value", value.label, value.count)
        if not with_more:
            expected = format_html('<li class="facet__row">{}</li>', link)
        else:
            expected = format_html(
                '<li class="facet__row">{} <span class="facet__more"><a href="{}" title="{}"{}>or<span class="visually-hidden"> '
                '{}</span></a> <a href="{}" title="Leave out articles with {}">not<span class="visually-hidden"> {}</span></a>'
                '</span></li>',
                link, value.any_url,
                "Remove from the either-or set" if in_any else "Match this or the other “or” values",
                mark_safe(' aria-current="true"') if in_any else "", value.label, value.not_url, value.label, value.label)
    assert str(value) == expected
