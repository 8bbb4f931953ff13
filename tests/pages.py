"""Read rendered pages as a researcher sees them: the result rows, the facet lists, the forms.

View tests assert inside the part of the page that matters, never on a string found
anywhere in the HTML:

    page = parse(client.get("/search/", {"q": "gas"}))
    row = result_rows(page)[0]
    assert row.tags == [("Vladimir Putin", "/search/?q=gas&actor=vladimir-putin"), ...]
"""

import dataclasses
import re
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup, Comment, Tag


def parse(response) -> BeautifulSoup:
    """The response's HTML as a tree (fails on a non-HTML answer)."""
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node: Tag | None) -> str:
    """The node's visible text with whitespace collapsed ("" for no node).

    Inline tags are joined with a space, but not before punctuation: "<strong>ed</strong>, so" is "ed, so".
    """
    return re.sub(r" ([,.;:!?])", r"\1", " ".join(node.get_text(" ").split())) if node is not None else ""


def query_of(url: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a URL's query string, in order."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


@dataclasses.dataclass(frozen=True)
class ResultRow:
    headline: str
    url: str  # the headline link
    date: str  # the <time datetime="..."> value
    snippet: str
    tags: list[tuple[str, str]]  # (text, href) of each actor and topic link
    html: str  # the row's HTML, for artefact checks


def results_summary(page: BeautifulSoup) -> str:
    """The results heading: "Showing 1–20 of 45 results for …", "1 result for …", "No articles found"."""
    return text_of(page.select_one("#results-heading"))


def result_rows(page: BeautifulSoup) -> list[ResultRow]:
    """Every row of the result list, in order."""
    rows = []
    for item in page.select("ol.result-list > li.result"):
        link = item.select_one(".result__headline a")
        time = item.select_one(".result__meta time")
        rows.append(ResultRow(
            headline=text_of(link),
            url=link["href"] if link else "",
            date=time["datetime"] if time else "",
            snippet=text_of(item.select_one(".result__snippet")),
            tags=[(text_of(tag), tag["href"]) for tag in item.select("ul.tags a")],
            html=str(item),
        ))
    return rows


def facet_values(page: BeautifulSoup, group: str) -> dict[str, str]:
    """{label: count text} of one facet group (its heading id is facet-<group>, e.g. "actor-person")."""
    heading = page.find(id=f"facet-{group}")
    if heading is None:
        return {}
    values = {}
    for value in heading.find_parent("section").select("a.facet__value"):
        values[text_of(value.select_one(".facet__label"))] = text_of(value.select_one(".facet__count"))
    return values


@dataclasses.dataclass(frozen=True)
class FacetLink:
    label: str  # without the words for screen readers ("Remove filter: ")
    count: str  # "3", or "excluded"
    url: str  # the value's own link: toggles it as required (or, when excluded, stops excluding it)
    any_url: str  # the "or" link ("" for dates)
    not_url: str  # the "not" link ("" for dates and excluded values)
    current: bool  # the value's own link has aria-current


def facet_links(page: BeautifulSoup, group: str) -> list[FacetLink]:
    """Every value of one facet group with its links, in order (its heading id is facet-<group>)."""
    heading = page.find(id=f"facet-{group}")
    if heading is None:
        return []
    links = []
    for row in heading.find_parent("section").select("li.facet__row"):
        value = row.select_one("a.facet__value")
        label = value.select_one(".facet__label")
        more = {text_of(link).split()[0]: link["href"] for link in row.select(".facet__more a")}
        links.append(FacetLink(
            label=" ".join("".join(text for text in label.find_all(string=True) if not _hidden(text)).split()),
            count=text_of(value.select_one(".facet__count")),
            url=value["href"],
            any_url=more.get("or", ""),
            not_url=more.get("not", ""),
            current=value.get("aria-current") == "true",
        ))
    return links


def _hidden(text) -> bool:
    return any("visually-hidden" in parent.get("class", []) for parent in text.parents)


def form_fields(form: Tag) -> list[tuple[str, str]]:
    """(name, value) of every input a form submits as it stands (hidden and visible, in order)."""
    fields = []
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.name == "input" and field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            value = chosen.get("value", text_of(chosen)) if chosen else ""
        elif field.name == "textarea":
            value = field.get_text()
        else:
            value = field.get("value", "")
        fields.append((field["name"], value))
    return fields


def hidden_fields(form: Tag) -> list[tuple[str, str]]:
    """(name, value) of the form's hidden inputs, in order."""
    return [(field["name"], field.get("value", "")) for field in form.select('input[type="hidden"][name]')]


# What a page must never show: Python reprs, template syntax, tracebacks, a rendered None.
_ARTEFACTS = re.compile(
    r"[A-Z]\w*\((?:\w+=)|\w+ object \(\d+\)|\(pk=\d|object at 0x|<bound method|\{\{|\}\}|\{%|%\}|"
    r"Traceback \(most recent|dict_items|dict_keys|<QuerySet|\bNaN\b|\bNone\b(?! of\b)"
)


def artefacts(page: BeautifulSoup) -> list[str]:
    """Every visible text or attribute value showing a Python or template artefact, with a little context."""
    found = []
    for text in page.find_all(string=True):
        if text.parent.name in ("script", "style") or isinstance(text, Comment):
            continue
        for match in _ARTEFACTS.finditer(text):
            found.append(f"text {text[max(0, match.start() - 40):match.end() + 40].strip()!r}")
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            for part in value if isinstance(value, list) else [value]:
                # data-* attributes hold JSON for scripts ("{...}}"); path data and styles are not text either
                if part == "None" or (_ARTEFACTS.search(part) and not name.startswith("data-") and name not in ("d", "points", "style")):
                    found.append(f"<{tag.name} {name}={part[:80]!r}>")
    return found
