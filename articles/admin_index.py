"""The editors' view of the index catching up: a notice after a large change, and a progress page.

A merge, rename or deletion touching many articles returns at once and the index is written in
the background (articles.search.background); the editor is told how many articles wait, with a
link to a page that counts them down (it refreshes itself, no JavaScript needed).
"""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles.models import IndexQueue
from articles.search.coverage import index_coverage
from articles.search.indexing import DRAIN_IN_REQUEST_MAX, index_queued

REFRESH_EVERY = 5  # seconds, while articles wait


def index_catching_up_message(request) -> None:
    """Tell the editor when their change left more articles to re-index than a request writes itself."""
    waiting = index_queued()
    if waiting > DRAIN_IN_REQUEST_MAX:
        messages.info(request, format_html(
            "{} articles are being re-indexed in the background: searches show the change within a few minutes "
            '(<a href="{}">progress</a>).', f"{waiting:,}", reverse("index_progress")))


class IndexProgressMixin:
    """For the actor and topic admins: after a change, merge or deletion, say if the index is catching up."""

    def response_change(self, request, obj):
        index_catching_up_message(request)
        return super().response_change(request, obj)

    def response_action(self, request, queryset):
        response = super().response_action(request, queryset)
        if response is not None and response.status_code == 302:  # done, not a confirmation page
            index_catching_up_message(request)
        return response

    def response_delete(self, request, obj_display, obj_id):
        index_catching_up_message(request)
        return super().response_delete(request, obj_display, obj_id)


@staff_member_required
def index_progress_view(request):
    """How many articles wait for the index, since when, and how much of the archive it holds."""
    waiting = index_queued()
    oldest = IndexQueue.objects.order_by("queued").values_list("queued", flat=True).first()
    context = {
        **admin.site.each_context(request),
        "title": "Search index",
        "waiting": waiting,
        "oldest": oldest,
        "coverage": index_coverage(),
        "refresh": REFRESH_EVERY if waiting else None,
    }
    return TemplateResponse(request, "admin/index_progress.html", context)
