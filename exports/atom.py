"""The newest matches of a view as an Atom 1.0 feed (search pages, actor and topic pages, saved views)."""

import datetime
import re

from django.utils.feedgenerator import Atom1Feed

from articles.forms import SearchFilters
from articles.search.selectors import matching_article_ids

from .rows import export_rows

FEED_ENTRIES = 50


class XmlSafeAtomFeed(Atom1Feed):
    """An Atom feed that drops the characters XML 1.0 cannot hold (ESC, NUL, U+FFFF ...), wherever they come from.

    Ingest cleans new text, but an article stored before that, a saved view's name or an
    actor's name could still hold one, and Django's feed writer refuses the whole feed for it.
    """

    def add_root_elements(self, handler):
        self.feed = {key: _xml_safe(value) for key, value in self.feed.items()}
        super().add_root_elements(handler)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {key: _xml_safe(value) for key, value in item.items()})


def _xml_safe(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(part) for part in value)
    return value


# Characters XML 1.0 cannot hold: control characters but tab and newlines, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def atom_feed(filters: SearchFilters, origin: str) -> Atom1Feed:
    """The view's FEED_ENTRIES newest matches; origin is "https://host", which every link starts with."""
    view = filters.replace(page=1, sort=filters.default_sort)
    feed = XmlSafeAtomFeed(
        title=f"Newsdesk: {filters.describe()}",
        link=origin + view.url(),
        description=f"Newest articles for {filters.describe()}",
        feed_url=origin + view.url(format="atom"),
        feed_guid=origin + view.url(),
        language="en",
    )
    newest = matching_article_ids(filters.replace(page=1, sort="newest"), limit=FEED_ENTRIES)
    for rows in export_rows(newest, origin, feed=True):
        for row in rows:
            feed.add_item(
                title=row.headline,
                link=row.url,
                unique_id=row.url,
                description=row.lead,
                pubdate=datetime.datetime.combine(row.date, datetime.time(), tzinfo=datetime.timezone.utc),
                updateddate=row.updated,
                categories=[actor.name for actor in row.actors] + [topic.name for topic in row.topics],
            )
    return feed
