"""The admin's "Add article" page: paste one article, preview what extraction assigns, save the editor's choices."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from .paste import (
    LabelsForm,
    PasteForm,
    add_actor_formset,
    add_actor_rows_again,
    article_paste_store,
    duplicate_error,
    paste_choices,
    paste_preview,
)
from .quoting import quoted
from .services import INGESTED

STALE_PREVIEW = (
    "The text, or what extraction finds in it, changed since the last preview: "
    "check the preview below, then save again."
)


def article_paste_view(model_admin, request):
    """Preview on "Preview"; store on "Save" once the preview shows the text as it is now."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    form = PasteForm(posted)
    preview = labels = actor_rows = None
    notice = ""
    if posted is not None and form.is_valid():
        preview = paste_preview(form.parsed)
        labels, actor_rows = LabelsForm(preview, posted), add_actor_formset(posted)
        choices_valid = labels.is_valid() and actor_rows.is_valid()
        if "_save" in posted and not labels.unchanged:
            notice = STALE_PREVIEW
        elif "_save" in posted and choices_valid:
            result = article_paste_store(
                parsed=form.parsed,
                source=form.cleaned_data["source"],
                choices=paste_choices(labels, actor_rows),
                user=request.user,
            )
            if result.status == INGESTED:
                return _saved(request, result.article)
            form.add_error("text", duplicate_error(result.article))  # stored by someone else meanwhile
            preview = labels = actor_rows = None
        if actor_rows is not None and actor_rows.is_valid():
            actor_rows = add_actor_rows_again(actor_rows)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Add article",
        "form": form,
        "preview": preview,
        "labels": labels,
        "actor_rows": actor_rows,
        "notice": notice,
        "has_errors": bool(form.errors or (labels and labels.errors) or (actor_rows and not _rows_valid(actor_rows))),
        "saving": posted is not None and "_save" in posted,
    }
    return TemplateResponse(request, "admin/articles/article/paste.html", context)


def _rows_valid(actor_rows) -> bool:
    return not actor_rows.is_bound or actor_rows.is_valid()


def _saved(request, article):
    """Say what was stored, with its public page, and open its change page."""
    version = f" (a similar version of article {article.version_of_id})" if article.version_of_id else ""
    messages.success(
        request,
        format_html(
            "The article {} was added successfully{}. Its public page: <a href=\"{}\">{}</a>",
            quoted(article.headline),
            version,
            article.get_absolute_url(),
            article.get_absolute_url(),
        ),
    )
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
