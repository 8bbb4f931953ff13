"""The compare view: series over time as counts and shares, its table, CSV, notices and form."""

import calendar
import csv
import html as html_lib
import io
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.pages import parse as parse_page

from articles.models import Actor, ActorRedirect

PUTIN = ("Vladimir Putin", "person", "vladimir-putin")
XI = ("Xi Jinping", "person", "xi-jinping")
ENERGY = ("Energy", "energy")


class _TableRows(HTMLParser):
    """The compare table as lists of cell texts, one per <tr> (header rows included)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(page: str) -> dict[str, list[str]]:
    """{period label: [count, share, count, share, …, all articles]} from the data table."""
    parser = _TableRows()
    parser.feed(page)
    return {row[0]: row[1:] for row in parser.rows[2:]}


def table_header(page: str) -> list[str]:
    parser = _TableRows()
    parser.feed(page)
    return parser.rows[0]


def notices(page: str) -> list[str]:
    block = re.search(r'<div class="notice" role="status">(.*?)</div>', page, re.S)
    return [html_lib.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


def legend(page: str) -> list[str]:
    return [html_lib.unescape(label) for label in re.findall(r'class="compare-legend__label">([^<]+)<', page)]


def point_titles(page: str) -> list[str]:
    return [html_lib.unescape(title) for title in re.findall(r"<title>([^<]+)</title>", page) if " — " in title]


def get(client, **params) -> str:
    response = client.get("/compare/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def march_archive(search_index, make_article):
    """March 2024: 4 articles, April 2024: 4, and one in December 2023 (outside from=2024-01-01)."""
    make_article("Putin spoke about the economy.", date="2024-03-05", actors=[PUTIN], topics=[ENERGY])
    make_article("Putin and Xi met in Moscow.", date="2024-03-10", actors=[PUTIN, XI])
    make_article("Xi visited Paris.", date="2024-03-20", actors=[XI], topics=[ENERGY])
    make_article("Storm weather across the region.", date="2024-03-25", topics=[ENERGY])
    make_article("Putin signed a decree.", date="2024-04-02", actors=[PUTIN])
    make_article("Weather warnings for the coast.", date="2024-04-03")
    make_article("Markets closed higher.", date="2024-04-04")
    make_article("Harvest report from the south.", date="2024-04-05")
    make_article("Putin gave a year-end address.", date="2023-12-01", actors=[PUTIN])


def test_two_actors_over_months(client, small_archive):
    page = get(client, s=["actor:xi-jinping", "actor:vladimir-putin"])
    assert legend(page) == ["Xi Jinping", "Vladimir Putin"]  # in the order typed
    assert table_header(page) == ["Month", "Xi Jinping", "Vladimir Putin", "All articles"]
    assert table(page) == {
        "Mar 2024": ["1", "100.0%", "1", "100.0%", "1"],
        "Apr 2024": ["0", "–", "0", "–", "0"],
        "May 2024": ["0", "0.0%", "1", "100.0%", "1"],
        "All months": ["1", "50.0%", "2", "100.0%", "2"],  # the months shown
    }
    assert "Vladimir Putin — Mar 2024: 1 article (100.0% of all)" in point_titles(page)
    assert "Xi Jinping — Apr 2024: 0 articles (no articles at all)" in point_titles(page)


def test_a_query_against_an_actor(client, small_archive):
    page = get(client, s=["q:officials", "actor:russia"])
    assert legend(page) == ["“officials”", "Russia"]  # in the order typed
    rows = table(page)
    assert list(rows)[0] == "Feb 2023" and list(rows)[-2] == "May 2024"
    assert rows["Feb 2023"] == ["1", "100.0%", "1", "100.0%", "1"]
    assert rows["Nov 2023"] == ["1", "100.0%", "0", "0.0%", "1"]
    assert rows["All months"] == ["4", "100.0%", "3", "75.0%", "4"]
    assert 'href="/search/?q=officials&amp;from=2023-11-01&amp;to=2023-11-30">1</a>' in page


@pytest.mark.parametrize(
    "params, expected",
    [
        # Share: the series' count over all articles in that period, within the date filter.
        (
            {"s": ["actor:vladimir-putin", "actor:xi-jinping"], "from": "2024-01-01"},
            {
                "Jan 2024": ["0", "–", "0", "–", "0"],
                "Feb 2024": ["0", "–", "0", "–", "0"],
                "Mar 2024": ["2", "50.0%", "2", "50.0%", "4"],
                "Apr 2024": ["1", "25.0%", "0", "0.0%", "4"],
                "All months": ["3", "37.5%", "2", "25.0%", "8"],
            },
        ),
        # Without the date filter the December article counts, in its own month.
        (
            {"s": ["actor:vladimir-putin", "actor:xi-jinping"]},
            {
                "Dec 2023": ["1", "100.0%", "0", "0.0%", "1"],
                "Jan 2024": ["0", "–", "0", "–", "0"],
                "Feb 2024": ["0", "–", "0", "–", "0"],
                "Mar 2024": ["2", "50.0%", "2", "50.0%", "4"],
                "Apr 2024": ["1", "25.0%", "0", "0.0%", "4"],
                "All months": ["4", "44.4%", "2", "22.2%", "9"],
            },
        ),
        # A query (from the index) against all articles (from the database).
        (
            {"s": ["q:weather", "actor:xi-jinping"], "from": "2024-02-01", "to": "2024-04-30"},
            {
                "Feb 2024": ["0", "–", "0", "–", "0"],
                "Mar 2024": ["1", "25.0%", "2", "50.0%", "4"],
                "Apr 2024": ["1", "25.0%", "0", "0.0%", "4"],
                "All months": ["2", "25.0%", "2", "25.0%", "8"],
            },
        ),
        # A topic narrows every series and the articles they are a share of.
        (
            {"s": ["actor:vladimir-putin", "actor:xi-jinping"], "topic": "energy"},
            {
                "Mar 2024": ["1", "33.3%", "1", "33.3%", "3"],
                "All months": ["1", "33.3%", "1", "33.3%", "3"],
            },
        ),
    ],
)
def test_share_is_count_over_all_articles_in_the_period(client, march_archive, params, expected):
    assert table(get(client, **params)) == expected


def test_short_range_is_drawn_by_day_and_long_by_year(client, march_archive, make_article):
    page = get(client, s=["actor:vladimir-putin", "actor:xi-jinping"], **{"from": "2024-03-01", "to": "2024-03-10"})
    rows = table(page)
    assert table_header(page)[0] == "Day"
    assert rows["5 Mar 2024"] == ["1", "100.0%", "0", "0.0%", "1"]
    assert rows["10 Mar 2024"] == ["1", "100.0%", "1", "100.0%", "1"]
    assert len(rows) == 11  # ten days and the total
    make_article("Putin in 2019.", date="2019-06-01", actors=[PUTIN])
    rows = table(get(client, s=["actor:vladimir-putin", "actor:xi-jinping"]))
    assert list(rows) == ["2019", "2020", "2021", "2022", "2023", "2024", "All years"]
    assert rows["2024"] == ["3", "37.5%", "2", "25.0%", "8"]


def test_measure_switches_the_chart_between_counts_and_shares(client, march_archive):
    params = {"s": ["actor:vladimir-putin", "actor:xi-jinping"], "from": "2024-02-01", "to": "2024-04-30"}
    counts = get(client, **params)
    assert re.search(r'<a href="[^"]*measure=share">Share of all articles</a>', counts)
    assert re.search(r'aria-current="true">Article counts</a>', counts)
    assert ">Articles</text>" in counts
    shares = get(client, **params, measure="share")
    assert re.search(r'aria-current="true">Share of all articles</a>', shares)
    assert ">Share of all articles (%)</text>" in shares
    assert ">20%</text>" in shares
    assert table(shares) == table(counts)  # the table always gives both


def test_chart_is_accessible_and_lines_differ_in_colour_and_dash(client, march_archive, make_article):
    make_article("Weather and Putin.", date="2024-03-11", actors=[PUTIN])
    page = parse_page(client.get("/compare/", {"s": ["actor:vladimir-putin", "actor:xi-jinping", "q:weather", "q:putin", "q:report"]}))
    wide, narrow = page.select("figure.compare-chart svg[role=img]")  # a layout for screens, one for phones
    assert "compare-chart__svg--wide" in wide["class"] and "compare-chart__svg--narrow" in narrow["class"]
    label = wide["aria-label"]
    assert label.startswith("Line chart of articles per month, Dec 2023 to Apr 2024. Vladimir Putin: 5 articles, most in Mar 2024 (3);")
    assert "The table below gives every value." in label and narrow["aria-label"] == label
    for svg in (wide, narrow):
        lines = [(line["stroke"], line.get("stroke-dasharray", "")) for line in svg.select("polyline")]
        assert len(lines) == 5
        assert len({colour for colour, _ in lines}) == 5 and len({dash for _, dash in lines}) == 5
        assert "“report” — Apr 2024: 1 article (25.0% of all)" in [title.get_text() for title in svg.select("title")]
    assert len(legend(str(page))) == 5 and len(page.select(".compare-legend__swatch")) == 5


def test_period_labels_are_regular_and_centred_on_their_points(client, search_index, make_article):
    for month in range(1, 13):  # Jan 2023 .. Dec 2024, every other month
        make_article(f"Putin spoke in month {month}.", date=f"2023-{month:02d}-10", actors=[PUTIN])
        make_article(f"Xi spoke in month {month}.", date=f"2024-{month:02d}-10", actors=[XI])
    page = parse_page(client.get("/compare/", {"s": ["actor:vladimir-putin", "actor:xi-jinping"]}))
    wide, narrow = page.select("figure.compare-chart svg[role=img]")
    for svg, expected in ((wide, ["Jan 2023", "Jul 2023", "Jan 2024", "Jul 2024"]),
                          (narrow, ["Jan 2023", "Jan 2024"])):
        first_line = svg.select_one("polyline")["points"].split()
        xs = {label: float(point.split(",")[0]) for label, point in zip(table(str(page)), first_line)}
        ticks = [text for text in svg.select("text.compare-chart__tick") if not text.get("text-anchor") == "end"]
        assert [tick.get_text() for tick in ticks] == expected
        for tick in ticks:  # each label sits under its own period's point
            assert tick["text-anchor"] == "middle" and float(tick["x"]) == xs[tick.get_text()]


@pytest.mark.parametrize(
    "params, notice, series",
    [
        ({"s": ["actor:nobody", "actor:xi-jinping", "actor:russia"]},
         "Ignored the actor “nobody”: no actor has that name, alias or slug.", ["Xi Jinping", "Russia"]),
        ({"s": ["gas", "actor:xi-jinping", "actor:russia"]},
         "Ignored the series “gas”: start it with actor: or q: (e.g. actor:xi-jinping, q:gas).", ["Xi Jinping", "Russia"]),
        ({"s": ["town:paris", "actor:xi-jinping", "actor:russia"]},
         "Ignored the series “town:paris”: start it with actor: or q:", ["Xi Jinping", "Russia"]),
        ({"s": ["q:* -", "actor:xi-jinping", "actor:russia"]},
         "Ignored the query “* -”: there is nothing to search for in it.", ["Xi Jinping", "Russia"]),
        ({"s": ['q:"power of', "actor:russia"]},
         "Query “\"power of”: Searched for the words only, because a quotation mark is not closed.",
         ["“\"power of”", "Russia"]),
        ({"s": ["actor:russia", "actor:Russia", "actor:china"]},
         "Russia was entered more than once; it is compared once.", ["Russia", "China"]),
        ({"s": ["actor:russia", "actor:china", "actor:nato", "actor:xi-jinping", "actor:vladimir-putin", "q:gas"]},
         "Compared the first 5 series: at most 5 fit on one chart.",
         ["Russia", "China", "NATO", "Xi Jinping", "Vladimir Putin"]),
        # An unknown topic narrows every series to nothing: no chart, never a comparison over every topic.
        ({"s": ["actor:russia", "actor:china"], "topic": "sport"}, "There is no topic “sport”", []),
        ({"s": ["actor:russia", "actor:china"], "from": "2024-13-01"},
         "Ignored the 'from' date “2024-13-01”: use a real date in the form YYYY-MM-DD.", ["Russia", "China"]),
        ({"s": ["actor:russia", "actor:china"], "measure": "pie"}, "Ignored the measure “pie”: use count or share.", ["Russia", "China"]),
    ],
)
def test_bad_series_and_filters_are_ignored_with_a_notice(client, small_archive, params, notice, series):
    page = get(client, **params)
    assert any(shown.startswith(notice) for shown in notices(page)), notices(page)
    assert legend(page) == series


@pytest.mark.parametrize(
    "entered, slug",
    [
        ("xi-jinping", "xi-jinping"),
        ("Xi Jinping", "xi-jinping"),
        ("XI JINPING", "xi-jinping"),
        ("xi jinping", "xi-jinping"),
        ("Putin", "vladimir-putin"),  # an alias
        ("putin-v", "vladimir-putin"),  # a merged-away slug
    ],
)
def test_actor_names_aliases_and_old_slugs_resolve_to_the_actor(client, small_archive, entered, slug):
    putin = Actor.objects.get(slug="vladimir-putin")
    putin.aliases = "Putin\nV. V. Putin"
    putin.save()
    ActorRedirect.objects.create(old_slug="putin-v", actor=putin)
    response = client.get("/compare/", {"kind": ["actor", "q"], "value": [entered, "gas"]})
    assert response.status_code == 302
    assert response["Location"] == f"/compare/?s=actor:{slug}&s=q:gas"


def test_fewer_than_two_series_shows_the_form_with_what_to_enter(client, small_archive):
    page = get(client, s=["actor:xi-jinping", "actor:nobody"])
    assert "Enter at least two series." in page
    assert notices(page) == ["Ignored the actor “nobody”: no actor has that name, alias or slug."]
    assert "<table" not in page and 'role="img"' not in page
    values = re.findall(r'<input id="value-\d" type="text" name="value" value="([^"]*)">', page)
    assert values == ["xi-jinping", "nobody", "", "", ""]  # the ignored value stays, to correct it
    assert len(re.findall(r'<select id="kind-\d" name="kind">', page)) == 5
    assert get(client).count("Enter at least two series.") == 1


def test_form_rows_redirect_to_the_canonical_url(client, small_archive):
    response = client.get("/compare/", {
        "kind": ["q", "actor", "actor", "actor", "actor"],
        "value": ["gas", "Xi Jinping", "", "", ""],
        "from": "2024-01-01", "to": "", "topic": "",
    })
    assert response.status_code == 302
    assert response["Location"] == "/compare/?s=q:gas&s=actor:xi-jinping&from=2024-01-01"
    page = get(client, kind=["actor", "actor"], value=["Xi Jinping", "Nobody"])  # with a notice: shown in place
    assert notices(page) == ["Ignored the actor “Nobody”: no actor has that name, alias or slug."]


def test_each_series_can_be_removed_and_the_form_keeps_the_filters(client, small_archive):
    page = get(client, s=["actor:xi-jinping", "actor:vladimir-putin", "q:gas"], topic="energy", measure="share")
    assert 'href="/compare/?s=actor:vladimir-putin&amp;s=q:gas&amp;topic=energy&amp;measure=share">Remove' in page
    assert '<option value="energy" selected>Energy</option>' in page
    assert '<input type="hidden" name="measure" value="share">' in page


def test_canonical_url_keeps_the_series_in_the_order_typed(client, small_archive):
    canonical = (
        '<link rel="canonical" href="http://testserver/compare/?s=q:gas&amp;s=actor:xi-jinping&amp;s=actor:vladimir-putin'
        '&amp;from=2023-01-01&amp;topic=diplomacy&amp;topic=energy&amp;measure=share">'
    )
    for params in (
        {"s": ["q:gas", "actor:xi-jinping", "actor:vladimir-putin"], "topic": ["energy", "diplomacy"]},
        {"s": ["q:  gas ", "actor:Xi Jinping", "actor:vladimir-putin"], "topic": ["diplomacy", "energy"]},
    ):
        page = get(client, **params, measure="share", **{"from": "2023-01-01"})
        assert canonical in page, params


def test_csv_has_the_series_counts_shares_and_all_articles(client, march_archive):
    response = client.get("/compare/", {"s": ["actor:vladimir-putin", "q:weather"], "from": "2024-03-01", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.now().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="newsdesk-compare-vladimir-putin-vs-weather-{today}.csv"'
    assert response["Link"] == (
        '<http://testserver/compare/?s=actor:vladimir-putin&s=q:weather&from=2024-03-01>; rel="alternate"; type="text/html"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [  # rows only: the column row first, as in every export (no "# ..." lines before it)
        ["period", "Vladimir Putin count", "Vladimir Putin share", "“weather” count", "“weather” share", "all articles"],
        ["2024-03", "2", "50.00", "1", "25.00", "4"],
        ["2024-04", "1", "25.00", "1", "25.00", "4"],
    ]


def test_csv_without_two_series_shows_the_form(client, small_archive):
    response = client.get("/compare/", {"s": "actor:russia", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "Enter at least two series." in response.content.decode()


def test_search_and_actor_pages_link_to_compare(client, small_archive):
    assert 'href="/compare/?s=q:gas%20pipeline">Compare “gas pipeline” with…</a>' in client.get(
        "/search/", {"q": "gas pipeline"}
    ).content.decode()
    assert 'href="/compare/?s=actor:vladimir-putin">Compare Vladimir Putin with…</a>' in client.get(
        "/actors/vladimir-putin/"
    ).content.decode()


def test_no_matches_says_so(client, small_archive):
    page = get(client, s=["q:zebra", "q:unicorn"])
    assert "None of these series matches an article." in page
    assert "<table" not in page


def test_labels_are_escaped_everywhere(client, small_archive):
    page = get(client, s=["q:<script>alert(1)</script> gas", "actor:russia"])
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; gas" in page
    response = client.get("/compare/", {"s": ["q:=HYPERLINK(1) gas", "actor:russia"], "format": "csv"})
    header_row = response.content.decode().splitlines()[0]
    assert ",“=HYPERLINK(1) gas” count," in header_row  # quoted, so no spreadsheet reads it as a formula



@pytest.mark.parametrize("name", ['=HYPERLINK("http://x.example","go")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_header_cells_are_never_formulas(client, small_archive, make_article, name):
    make_article("A strange actor name was filed today.", actors=[(name, "person", "strange")])
    response = client.get("/compare/", {"s": ["actor:strange", "actor:russia"], "format": "csv"})
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["period", f"'{name} count", f"'{name} share", "Russia count", "Russia share", "all articles"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in header)


def test_a_comparison_over_millennia_has_a_row_per_period_of_the_articles_span(client, small_archive):
    params = {"s": ["q:officials", "actor:russia", "actor:china", "q:gas", "actor:nato"], "from": "0001-01-01", "to": "9999-12-31"}
    assert list(table(get(client, **params))) == [
        f"{month} {year}" for year, months in ((2023, range(2, 13)), (2024, range(1, 6))) for month in
        [calendar.month_abbr[number] for number in months]
    ] + ["All months"]
    rows = list(csv.reader(io.StringIO(client.get("/compare/", {**params, "format": "csv"}).content.decode())))
    assert [row[0] for row in rows[1:]] == [f"{year}-{month:02}" for year, months in ((2023, range(2, 13)), (2024, range(1, 6)))
                                            for month in months]  # Feb 2023 to May 2024


HOSTILE = [
    {"s": "\x00\x01"}, {"s": ["actor:\x00", "q:\x00gas"]}, {"s": "actor:" + "a" * 5000}, {"s": "q:" + "gas " * 2000},
    {"s": ["q:gas"] * 500}, {"s": [f"actor:x{n}" for n in range(100)]}, {"s": ":"}, {"s": "actor:"}, {"s": "q:"},
    {"s": ["q:OR", "q:AND OR NOT"]}, {"s": ["q:title:foo", "q:headline:"]}, {"s": ["q:\\", "q:~~~", "q:(((("]},
    {"s": ["actor:../../etc", "actor:%00", "actor:'; DROP TABLE articles_actor; --"]},
    {"s": ["q:日本 ü ñ 🙂", "actor:Zürich"]}, {"s": ["actor:russia", "actor:china"], "from": "0000-00-00", "to": "9999-99-99"},
    {"s": ["actor:russia", "actor:china"], "from": "2024-02-30"}, {"s": ["actor:russia", "actor:china"], "from": "2030-01-01"},
    {"s": ["actor:russia", "actor:china"], "from": "2024-06-01", "to": "2023-01-01"},
    {"s": ["actor:russia", "actor:china"], "topic": ["x"] * 100}, {"s": ["actor:russia", "actor:china"], "measure": "<b>"},
    {"s": ["actor:russia", "actor:china"], "format": "xml"}, {"s": ["actor:russia", "q:gas"], "format": "csv", "measure": "x"},
    {"kind": ["actor"] * 30}, {"value": ["russia", "china"]}, {"kind": ["<b>", "q"], "value": ["russia", "gas"]},
    {"kind": "actor", "value": "\x00"}, {"page": "9" * 50},
]


@pytest.mark.parametrize("params", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_parameters_never_cause_server_error(client, small_archive, params):
    response = client.get("/compare/", params)
    assert response.status_code in (200, 302)
    assert b"<script>" not in response.content and b"<b>" not in response.content
