from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsdesk archive"

    def ready(self):
        from .search import checks  # noqa: F401  (registers the system checks)
        from .versions import connect_signals

        connect_signals()
