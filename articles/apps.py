from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsdesk archive"

    def ready(self):
        from . import redirects, versions
        from .search import checks  # noqa: F401  (registers the system checks)

        versions.connect_signals()
        redirects.connect_signals()
