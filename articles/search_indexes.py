"""The search document of an article: text, date, and keyword fields for filters and facets.

Every engine indexes these fields (articles/search/documents.py); the text fields are analysed
by Newsdesk's own analysis (articles/search/analysis.py), whatever the engine.
"""

from haystack import indexes

from .models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # Headline and body, rendered from templates/search/indexes/articles/article_text.txt.
    text = indexes.CharField(document=True, use_template=True)
    headline = indexes.CharField(model_attr="headline")
    date = indexes.DateField(model_attr="date")
    # Whoosh KEYWORD fields split on commas: slugs and "YYYY-MM" never contain one.
    actors = indexes.MultiValueField()
    topics = indexes.MultiValueField()
    month = indexes.MultiValueField()
    day = indexes.MultiValueField()
    # When the article entered the archive: as_of views leave out later ones.
    created = indexes.DateTimeField(model_attr="created")
    # Lets the consistency check see stale documents.
    updated = indexes.DateTimeField(model_attr="updated")
    # A similar version of another article (articles.versions): searches show its original instead.
    is_version = indexes.BooleanField()

    def get_model(self):
        return Article

    def prepare_actors(self, article):
        return sorted(actor.slug for actor in article.actors.all())

    def prepare_topics(self, article):
        return sorted(topic.slug for topic in article.topics.all())

    def prepare_month(self, article):
        return [f"{article.date:%Y-%m}"]

    def prepare_day(self, article):
        return [article.date.isoformat()]

    def prepare_is_version(self, article):
        return article.version_of_id is not None
