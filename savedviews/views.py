"""Pages of saved views: save a search, list, open, edit, share, delete; the private feed and the shared page.

Thin: parse input, call a selector or a service, render. Every page about one saved view
looks it up among the signed-in researcher's own first, so anybody else's id is a 404
whatever the method.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from articles.facets import result_rows
from articles.pagination import paginate, results_page_or_404
from articles.quoting import quoted
from exports.atom import atom_feed
from exports.views import request_origin

from .forms import SavedViewForm, SaveViewForm
from .models import SavedView, search_url_for
from .selectors import (
    canonical_params, params_filters, saved_view_by_feed_token, saved_view_by_share_token, saved_view_filters,
    saved_view_get, saved_view_page, saved_view_rows, saved_view_same_search, saved_views_filters,
)
from .services import (
    saved_view_counts_refresh, saved_view_create, saved_view_delete, saved_view_feed_token_regenerate, saved_view_open,
    saved_view_share, saved_view_update,
)

NAME_LENGTH = SavedView._meta.get_field("name").max_length


class PasswordChange(SuccessMessageMixin, PasswordChangeView):
    template_name = "savedviews/password_change.html"
    success_url = reverse_lazy("saved_views")
    success_message = "Your password was changed."


@login_required
def saved_views(request: HttpRequest) -> HttpResponse:
    """The researcher's saved views, a page at a time, with counts kept until the archive changes."""
    page = saved_view_page(owner=request.user, number=request.GET.get("page", "1"))
    saved = list(page.object_list)
    filters = saved_views_filters(saved)
    rows = saved_view_rows(saved, filters, saved_view_counts_refresh(saved_views=saved, filters=filters))
    context = {
        "rows": rows,
        "pending": sum(row.status == "pending" for row in rows),
        "pagination": paginate(page.number, page.paginator.num_pages, lambda n: f"?page={n}" if n > 1 else "?"),
    }
    return render(request, "savedviews/list.html", context)


@login_required
def saved_view_new(request: HttpRequest) -> HttpResponse:
    """GET /saved/new/?q=gas&actor=... shows the form for that search; POST saves it."""
    if request.method == "POST":
        form = SaveViewForm(request.POST)
        if form.is_valid():
            saved_view = saved_view_create(owner=request.user, **form.cleaned_data)
            messages.success(request, f"Saved {quoted(saved_view.name)}.")
            return redirect("saved_views")
        params = canonical_params(QueryDict(request.POST.get("params", "")))
        filters, _ = params_filters(params)
    else:
        params = canonical_params(request.GET)
        filters, _ = params_filters(params)
        form = SaveViewForm(initial={"name": _shortened(filters.describe()), "params": params})
    context = {
        "form": form,
        "description": filters.describe(),
        "search_url": search_url_for(params),
        "already_saved": saved_view_same_search(owner=request.user, params=params),
    }
    return render(request, "savedviews/new.html", context)


def _shortened(text: str) -> str:
    """A description as a default name, cut at a word to fit the name field."""
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@login_required
def saved_view_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: mark the view as seen now (its new matches go back to 0) and go to its search page."""
    saved_view = saved_view_get(owner=request.user, pk=pk)
    return _post_only(request) or redirect(saved_view_open(saved_view=saved_view))


@login_required
def saved_view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename and re-note; the page also holds the feed address and the share link."""
    saved_view = saved_view_get(owner=request.user, pk=pk)
    form = SavedViewForm(request.POST or None, instance=saved_view)
    if request.method == "POST" and form.is_valid():
        saved_view_update(saved_view=saved_view, **form.cleaned_data)
        messages.success(request, f"Saved your changes to {quoted(saved_view.name)}.")
        return redirect("saved_views")
    if form.is_bound:
        saved_view.refresh_from_db()  # the heading must not show a name that failed validation
    filters, _ = saved_view_filters(saved_view)
    context = {
        "saved_view": saved_view,
        "form": form,
        "description": filters.describe(),
        "feed_url": request.build_absolute_uri(saved_view.feed_url()),
        "share_url": request.build_absolute_uri(saved_view.share_url()) if saved_view.is_shared else None,
    }
    return render(request, "savedviews/edit.html", context)


@login_required
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes."""
    saved_view = saved_view_get(owner=request.user, pk=pk)
    if request.method == "POST":
        saved_view_delete(saved_view=saved_view)
        messages.success(request, f"Deleted {quoted(saved_view.name)}.")
        return redirect("saved_views")
    filters, _ = saved_view_filters(saved_view)
    return render(request, "savedviews/delete.html", {"saved_view": saved_view, "description": filters.describe()})


@login_required
def saved_view_share_view(request: HttpRequest, pk: int, shared: bool) -> HttpResponse:
    saved_view = saved_view_get(owner=request.user, pk=pk)
    if refused := _post_only(request):
        return refused
    saved_view_share(saved_view=saved_view, shared=shared)
    if shared:
        messages.success(request, f"{quoted(saved_view.name)} is shared: anyone with the link can read it.")
    else:
        messages.success(request, f"{quoted(saved_view.name)} is no longer shared: its link stopped working.")
    return redirect("saved_view_edit", pk=saved_view.pk)


@login_required
def saved_view_feed_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a new feed address; feed readers still on the old one get 404."""
    saved_view = saved_view_get(owner=request.user, pk=pk)
    if refused := _post_only(request):
        return refused
    saved_view_feed_token_regenerate(saved_view=saved_view)
    messages.success(request, f"{quoted(saved_view.name)} has a new feed address; the old one no longer works.")
    return redirect("saved_view_edit", pk=saved_view.pk)


@login_not_required
def saved_view_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The view's newest matches as Atom, for a feed reader without a session: the token is the key."""
    saved_view = saved_view_by_feed_token(token)
    filters, _ = saved_view_filters(saved_view)
    feed = atom_feed(filters, request_origin(request))
    feed.feed["title"] = f"Newsdesk: {saved_view.name}"
    feed.feed["feed_url"] = request.build_absolute_uri(saved_view.feed_url())
    response = HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
def saved_view_shared(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only page of a shared view: name, note and live results, for anyone with the link."""
    saved_view = saved_view_by_share_token(token)
    filters, _ = saved_view_filters(saved_view)
    filters, result = results_page_or_404(request, filters)
    context = {
        "saved_view": saved_view,
        "filters": filters,
        "description": filters.describe(),
        "result": result,
        "rows": result_rows(filters, result),
        "pagination": paginate(result.page, result.num_pages, lambda n: f"?page={n}" if n > 1 else "?"),
        "search_url": saved_view.search_url(),
    }
    response = render(request, "savedviews/shared.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
