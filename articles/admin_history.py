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

from .restore import RESTORE_DAYS, RestoreRefused, article_restore, articles_deleted


class ArticleHistoryAdmin(SimpleHistoryAdmin):
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
        messages.success(
            request, format_html('Restored <a href="{}">article {}: {}</a>.', change_url, article.pk, article.headline)
        )
        return redirect(change_url)
