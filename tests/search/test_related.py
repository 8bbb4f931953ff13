"""Related articles on the article page: those sharing the most of its rarer actors, newest first among equals."""

from bs4 import BeautifulSoup

from articles.search import selectors
from articles.search.selectors import related_articles

PUTIN = ("Vladimir Putin", "person", "vladimir-putin")
XI = ("Xi Jinping", "person", "xi-jinping")
RUSSIA = ("Russia", "country", "russia")
CHINA = ("China", "country", "china")


def test_most_shared_actors_first_then_newer_then_higher_id(search_index, make_article):
    article = make_article("Putin and Xi met in Russia.", actors=[PUTIN, XI, RUSSIA])
    both = make_article("Putin and Xi again.", date="2020-01-01", actors=[PUTIN, XI])
    putin_old = make_article("Putin spoke.", date="2021-01-01", actors=[PUTIN])
    putin_new = make_article("Putin spoke again.", date="2023-01-01", actors=[PUTIN])
    russia = make_article("Russia voted.", date="2024-01-01", actors=[RUSSIA])
    make_article("China voted.", actors=[CHINA])  # shares nothing
    # Two shared actors before one; among one shared actor, newer first.
    assert related_articles(article) == [both, russia, putin_new, putin_old]
    assert related_articles(article, limit=2) == [both, russia]


def test_only_the_newest_links_of_each_actor_count(search_index, make_article, monkeypatch):
    monkeypatch.setattr(selectors, "RELATED_LINKS_PER_ACTOR", 2)
    article = make_article("Putin in Moscow.", actors=[PUTIN])
    older = [make_article(f"Putin, part {n}.", date="2024-05-01", actors=[PUTIN]) for n in range(3)]
    assert related_articles(article) == [older[2], older[1]]  # the two newest links; same day: higher id first


def test_article_page_lists_them_in_that_order(client, search_index, make_article):
    article = make_article("Putin and Xi met in Russia.", actors=[PUTIN, XI, RUSSIA])
    both = make_article("Putin and Xi again in Beijing.", date="2020-01-01", actors=[PUTIN, XI])
    one = make_article("Putin spoke in Moscow.", date="2023-01-01", actors=[PUTIN])
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    heading = page.find(lambda tag: tag.name in ("h2", "h3") and "Related articles" in tag.get_text())
    links = [link.get_text(strip=True) for link in heading.find_next("ul").find_all("a")]
    assert [text for text in links if text in (both.headline, one.headline)] == [both.headline, one.headline]


def test_shared_counts_from_plain_tuples_equal_the_orm_count(transactional_db, make_article, monkeypatch):
    # The reference: the same links counted through the ORM, as before the plain-tuple version.
    import random
    from collections import Counter

    from articles.models import Article

    monkeypatch.setattr(selectors, "RELATED_LINKS_PER_ACTOR", 6)
    rng = random.Random(11)
    actors = [(f"Person {n}", "person", f"person-{n}") for n in range(8)]
    articles = [make_article(f"Report {n}.", date=f"202{n % 5}-01-0{1 + n % 9}", actors=rng.sample(actors, rng.randint(0, 4)))
                for n in range(40)]
    links = Article.actors.through.objects.order_by("-id")
    for article in articles:
        actor_ids = list(article.actors.values_list("id", flat=True))
        expected = Counter(
            other
            for actor_id in actor_ids
            for other in links.filter(actor_id=actor_id).exclude(article_id=article.pk)
            .values_list("article_id", flat=True)[:selectors.RELATED_LINKS_PER_ACTOR]
        )
        assert selectors._shared_actor_counts(article.pk, actor_ids) == expected


def test_the_rarer_actors_are_the_ones_counted(search_index, make_article, monkeypatch):
    """Russia is in every article here; Putin in two: with one actor counted, it is Putin's other article."""
    monkeypatch.setattr(selectors, "RELATED_BY_ACTORS", 1)
    crowd = [make_article(f"Russia voted, part {n}.", date="2024-06-01", actors=[RUSSIA]) for n in range(4)]
    article = make_article("Putin in Russia.", date="2024-01-01", actors=[RUSSIA, PUTIN])
    putin = make_article("Putin spoke.", date="2020-01-01", actors=[PUTIN, RUSSIA])
    assert related_articles(article) == [putin]
    monkeypatch.setattr(selectors, "RELATED_BY_ACTORS", 2)
    assert related_articles(article, limit=2) == [putin, crowd[-1]]  # two shared actors, then one (the newest)


def test_the_rarest_actors_are_counted_up_to_a_bound(search_index, make_article, monkeypatch):
    monkeypatch.setattr(selectors, "RELATED_LINKS_PER_ACTOR", 2)
    article = make_article("Putin and Xi in Russia.", actors=[RUSSIA, PUTIN, XI])
    for n in range(4):
        make_article(f"Russia voted, part {n}.", actors=[RUSSIA])
    make_article("Xi spoke.", actors=[XI])
    ids = {actor.slug: actor.pk for actor in article.actors.all()}
    # Putin: 1 article, Xi: 2, Russia: 5, counted as 3 (the bound + 1).
    assert selectors._rarest_actors(article.pk, 3) == [ids["vladimir-putin"], ids["xi-jinping"], ids["russia"]]
    assert selectors._rarest_actors(article.pk, 1) == [ids["vladimir-putin"]]
