"""The article admin's history: each change with who, when and what (simple-history), and undoing a delete.

"Recently deleted articles" (linked from the article list, chief editors only) lists deletions of the
last 30 days with a Restore button; articles.restore does the work.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import history_context
from .quoting import quoted
from .restore import RESTORE_DAYS, RestoreRefused, article_restore, articles_deleted


class LabelNamesHelper(HistoricalRecordContextHelper):
    """Changes of actors and topics in words: a label deleted since (merged, ruled out) by its last name."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            value = [_last_name(item) if isinstance(item, DeletedObject) else item for item in value]
        return value


def _last_name(deleted: DeletedObject) -> str:
    """'Putin V. (removed since)', from the label's own history ('an actor removed since' if it has none)."""
    history = getattr(deleted.model, "history", None)
    name = history.filter(id=deleted.pk).order_by("-history_id").values_list("name", flat=True).first() if history else None
    return f"{name} (removed since)" if name else f"a {deleted.model._meta.verbose_name} removed since"


class EditorHistoryAdmin(SimpleHistoryAdmin):
    """Every change made on these admin pages is kept with the editor and why: one row per save."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelNamesHelper(self.model, historical_record)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        reason = "added in the admin" if object_id is None else "edited in the admin"
        with history_context(user=request.user, reason=reason):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with history_context(user=request.user, reason="deleted in the admin"):
            return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Actions of the list: deleting here, or a merge or a ruling-out (which name themselves inside).
        deleting = request.POST.get("action") == "delete_selected"
        with history_context(user=request.user, reason="deleted in the admin" if deleting else "changed in the admin list"):
            return super().changelist_view(request, extra_context)


class ArticleHistoryAdmin(EditorHistoryAdmin):
    """SimpleHistoryAdmin for articles, read-only: an old version is shown, never saved back over the article."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("deleted/", view(self.deleted_view), name="articles_article_deleted"),
            path("deleted/<int:history_id>/restore/", view(self.restore_view), name="articles_article_restore"),
            *super().get_urls(),
        ]

    def revert_disabled(self, request, obj=None):
        # Reverting through the change form would bring back the text but not the actors and topics
        # of the old version (the form shows the current ones): history is for reading here.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_restore": self.has_delete_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        """List the articles deleted in the last RESTORE_DAYS days, each with a Restore button."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Recently deleted articles",
            "deleted": articles_deleted(),
            "restore_days": RESTORE_DAYS,
        }
        return TemplateResponse(request, "admin/articles/article/recently_deleted.html", context)

    def restore_view(self, request, history_id: int):
        """Bring a deleted article back (POST), with its actors and topics, and into search."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            article = article_restore(history_id=history_id, user=request.user)
        except RestoreRefused as refusal:
            messages.error(request, f"Not restored: {refusal.reason}")
            return redirect("admin:articles_article_deleted")
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        # No full stop after the headline: it often ends in one, or in "…".
        messages.success(
            request, format_html('Restored, and back in search: <a href="{}">article {}, {}</a>', change_url, article.pk, quoted(article.headline))
        )
        return redirect(change_url)
