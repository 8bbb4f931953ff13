"""Delete confirmations that say in words what goes: "Article 425: <headline>", not "Article_actors object (3312)".

Django's confirmation lists every database row the delete cascades to (each link between an
article and an actor, each similarity key). Editors need the things they know: the articles,
actors or topics themselves, and what happens to what they are linked to.
"""

from django.contrib.admin.utils import quote
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html


class ReadableDeletionMixin:
    """get_deleted_objects listing the chosen objects themselves, each with what deleting it means."""

    def get_deleted_objects(self, objs, request):
        _, _, perms_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        lines = [self.deletion_line(obj) for obj in objs]
        return lines, {self.opts.verbose_name_plural: len(objs)}, perms_needed, protected

    def deletion_line(self, obj) -> str:
        """'<a>Article 425: headline</a>', linked to its change page."""
        try:
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)])
        except NoReverseMatch:
            return format_html("{}", obj)
        return format_html('<a href="{}">{}</a>{}', url, obj, self.deletion_note(obj))

    def deletion_note(self, obj) -> str:
        return ""


class LabelDeletionMixin(ReadableDeletionMixin):
    """For actors and topics: the articles stay, the label leaves them."""

    def deletion_note(self, label) -> str:
        articles = type(label).objects.filter(pk=label.pk).aggregate(n=Count("articles"))["n"]
        if not articles:
            return " (in no article)"
        return f" (removed from its {articles} article{'s' if articles != 1 else ''}; the articles stay)"
