"""The date histogram: bars by year, month or day, each linking to its narrowed view."""

import dataclasses
import datetime

import pytest
from django.template import Context, Template

from articles.forms import SearchFilters
from articles.histogram import date_histogram

from .pages import facet_values, parse, text_of


FROM_YEAR_1 = SearchFilters(date_from=datetime.date(1, 1, 1), date_to=datetime.date(9999, 12, 31))


@pytest.mark.parametrize(
    "months, granularity, labels",
    [
        # Centuries of empty years are no picture: the range is cut to the articles' own span...
        ({"2023-11": 1, "2024-02": 2}, "month", ["Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024"]),
        ({"2015-01": 1, "2024-02": 2}, "year", [str(year) for year in range(2015, 2025)]),
        # ...and when the articles themselves are centuries apart, only their years are drawn.
        ({"0001-01": 1, "2024-02": 2, "9999-12": 1}, "year", ["1", "2024", "9999"]),
    ],
)
def test_a_range_of_millennia_draws_the_years_that_have_articles(db, months, granularity, labels):
    histogram = date_histogram(FROM_YEAR_1, months)
    assert histogram.granularity == granularity
    assert [bar.label for bar in histogram.bars] == labels


@pytest.mark.parametrize(
    "filters, months, days, granularity, labels",
    [
        (SearchFilters(), {"2023-11": 1, "2024-02": 2}, None, "month", ["Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024"]),
        (SearchFilters(), {"2015-01": 1, "2024-02": 2}, None, "year", [str(y) for y in range(2015, 2025)]),
        (
            SearchFilters(date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 3)),
            {"2024-03": 3}, {"2024-03-01": 2, "2024-03-03": 1}, "day", ["1 Mar 2024", "2 Mar 2024", "3 Mar 2024"],
        ),
    ],
)
def test_granularity_follows_the_span(db, filters, months, days, granularity, labels):
    histogram = date_histogram(filters, months, days)
    assert histogram.granularity == granularity
    assert [bar.label for bar in histogram.bars] == labels


def test_bars_link_to_their_dates_and_keep_other_filters(db):
    histogram = date_histogram(SearchFilters(q="gas"), {"2024-01": 4, "2024-02": 1})
    january, february = histogram.bars
    assert january.url == "/search/?q=gas&from=2024-01-01&to=2024-01-31"
    assert (january.count, february.count) == (4, 1)
    assert (january.height, february.height) == (100, 25)  # percent of the scale's top, 4


@pytest.mark.parametrize(
    "largest, scale",
    [(1, [0, 1]), (3, [0, 1, 2, 3]), (4, [0, 1, 2, 3, 4]), (7, [0, 2, 4, 6, 8]), (37, [0, 10, 20, 30, 40]), (120, [0, 50, 100, 150])],
)
def test_scale_has_round_steps_above_the_largest_count(db, largest, scale):
    histogram = date_histogram(SearchFilters(), {"2024-01": largest, "2024-02": 1})
    assert [line.value for line in histogram.scale] == scale
    assert histogram.scale[0].position == 0 and histogram.scale[-1].position == 100


def test_months_are_labelled_at_regular_ticks(db):
    months = {f"2022-{m:02d}": 1 for m in range(3, 13)} | {f"2023-{m:02d}": 2 for m in range(1, 13)} | {"2024-08": 1}
    histogram = date_histogram(SearchFilters(), months)
    assert len(histogram.bars) == 30  # Mar 2022 to Aug 2024
    assert [bar.axis_label for bar in histogram.bars if bar.axis_label] == ["Jul 2022", "Jan 2023", "Jul 2023", "Jan 2024", "Jul 2024"]
    assert [bar.minor for bar in histogram.bars if bar.axis_label] == [False, True, False, True, False]  # hidden on phones


def test_a_single_month_is_one_narrow_bar_not_the_whole_width(db):
    histogram = date_histogram(SearchFilters(), {"2024-03": 5})
    assert [(bar.label, bar.count, bar.axis_label) for bar in histogram.bars] == [("Mar 2024", 5, "Mar 2024")]
    assert histogram.slot_width == round(100 / 12, 3)
    assert date_histogram(SearchFilters(), {f"2024-{m:02d}": 1 for m in range(1, 13)}).slot_width == round(100 / 12, 3)
    assert date_histogram(SearchFilters(), {"2022-01": 1, "2024-12": 1}).slot_width == round(100 / 36, 3)


def test_no_histogram_without_results(db):
    assert date_histogram(SearchFilters(), {}) is None


def histogram_bars(page) -> list[tuple[str, str]]:
    """(what a screen reader hears, href) of every bar of the page's histogram, empty periods too."""
    figure = page.select_one("figure.histogram")
    return [(text_of(item.a), item.a["href"]) if item.a else (text_of(item), "") for item in figure.select("ol.histogram__bars > li")]


def test_search_page_draws_bars_with_their_counts_and_scale(client, small_archive):
    page = parse(client.get("/search/", {"q": "officials"}))
    figure = page.select_one("figure.histogram")
    assert text_of(figure.figcaption) == "Articles by month, Feb 2023 to May 2024: select a bar to narrow the dates"
    bars = histogram_bars(page)
    assert len(bars) == 16  # every month from Feb 2023 to May 2024, empty ones too
    assert bars[0] == ("1 article, Feb 2023", "/search/?q=officials&from=2023-02-01&to=2023-02-28")
    # More than twelve bars: each also drawn without a link, shown instead on a phone (too narrow to tap).
    assert "histogram--dense" in figure["class"] and len(figure.select(".histogram__column--static")) == 4
    assert bars[1] == ("No articles, Mar 2023", "")
    assert ("1 article, Mar 2024", "/search/?q=officials&from=2024-03-01&to=2024-03-31") in bars
    # Readable without hovering: the count above each bar, the scale beside them, labels under them.
    assert [text_of(count) for count in figure.select("a .histogram__count")] == ["1", "1", "1", "1"]
    assert [text_of(value) for value in figure.select(".histogram__scale li")] == ["0", "1"]
    assert [text_of(label) for label in figure.select(".histogram__axis li span")] == [
        "Apr 2023", "Jul 2023", "Oct 2023", "Jan 2024", "Apr 2024"]


def test_short_range_counts_days_from_index_and_database(client, small_archive):
    for params in ({"q": "officials"}, {}):
        page = parse(client.get("/search/", {**params, "from": "2024-05-01", "to": "2024-05-31"}))
        assert text_of(page.select_one("figure.histogram figcaption")).startswith("Articles by day, 1 May 2024 to 31 May 2024")
        assert [text for text, href in histogram_bars(page) if href] == ["1 article, 16 May 2024"]


def test_actor_page_shows_mentions_over_time_and_who_appears_alongside(client, small_archive):
    page = parse(client.get("/actors/vladimir-putin/"))
    assert text_of(page.select_one("figure.histogram figcaption")).startswith("Articles by month")
    alongside = page.select_one("aside.filters")
    assert text_of(alongside.select_one("#filters-heading")) == "Seen alongside"
    people = facet_values(page, "actor-person")
    assert people == {"Xi Jinping": "1"}  # not Vladimir Putin himself
    xi = alongside.find("a", class_="facet__value", href=True, string=None)
    assert xi["href"] == "/search/?actor=vladimir-putin&actor=xi-jinping"


# The loops of templates/articles/_histogram.html that Histogram.bar_items, axis_items and scale_items replaced.
TEMPLATE_LOOPS = {
    "scale_items": '{% for line in histogram.scale %}<li style="bottom: {{ line.position }}%"><span>{{ line.value }}</span></li>{% endfor %}',
    "bar_items": (
        '{% for bar in histogram.bars %}<li style="flex-basis: {{ histogram.slot_width }}%">{% if bar.count %}'
        '<a class="histogram__column" href="{{ bar.url }}"><span class="histogram__bar" style="height: {{ bar.height }}%">'
        '<span class="histogram__count">{{ bar.count }}</span></span><span class="visually-hidden"> article{{ bar.count|pluralize }}, '
        '{{ bar.label }}</span></a>{% if histogram.dense %}<span class="histogram__column histogram__column--static">'
        '<span class="histogram__bar" style="height: {{ bar.height }}%"></span><span class="visually-hidden">{{ bar.count }} '
        'article{{ bar.count|pluralize }}, {{ bar.label }}</span></span>{% endif %}{% else %}<span class="visually-hidden">'
        'No articles, {{ bar.label }}</span>{% endif %}</li>{% endfor %}'),
    "axis_items": (
        '{% for bar in histogram.bars %}<li style="flex-basis: {{ histogram.slot_width }}%">{% if bar.axis_label %}'
        '<span{% if bar.minor %} class="histogram__tick--minor"{% endif %}>{{ bar.axis_label }}</span>{% endif %}</li>{% endfor %}'),
}


@pytest.mark.parametrize("filters, months, days", [
    (SearchFilters(), {"2024-03": 5}, None),  # one bar
    (SearchFilters(), {"2023-11": 1, "2024-02": 2}, None),  # empty months between
    (SearchFilters(q="gas & <oil>"), {f"2022-{m:02d}": m * 37 for m in range(1, 13)} | {"2024-08": 1}, None),  # dense
    (SearchFilters(), {"2015-01": 1, "2024-02": 2}, None),  # years
    (SearchFilters(date_from=datetime.date(2024, 5, 1), date_to=datetime.date(2024, 5, 31)), {"2024-05": 3},
     {"2024-05-02": 1, "2024-05-16": 2}),  # days
    (FROM_YEAR_1, {"0001-01": 1, "2024-02": 2, "9999-12": 1}, None),
    (SearchFilters(), {"2024-01": 1234, "2024-02": 1, "2024-03": 3}, None),  # counts over a thousand, thirds
])
def test_bars_axis_and_scale_are_what_the_template_loops_rendered(db, filters, months, days):
    histogram = date_histogram(filters, months, days)
    for name, loop in TEMPLATE_LOOPS.items():
        assert str(getattr(histogram, name)) == Template(loop).render(Context({"histogram": histogram})), name


def test_bar_labels_and_links_are_escaped(db):
    histogram = date_histogram(SearchFilters(), {"2024-03": 5})
    bar = dataclasses.replace(histogram.bars[0], label='<b>"Mar"</b>', url='/search/?q="x"&a=<1>', axis_label="<i>")
    html = str(dataclasses.replace(histogram, bars=[bar]).bar_items) + str(dataclasses.replace(histogram, bars=[bar]).axis_items)
    assert "<b>" not in html and "<i>" not in html
    assert 'href="/search/?q=&quot;x&quot;&amp;a=&lt;1&gt;"' in html and "&lt;b&gt;&quot;Mar&quot;&lt;/b&gt;" in html
