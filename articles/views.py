"""Pages: search, article, actor and topic. Thin: parse input, call a selector, render."""

import dataclasses
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from exports.formats import view_link
from exports.views import EXPORT_FORMATS, export_response

from .facets import active_filter_chips, facet_groups, relaxations, result_rows
from .compare import (
    MIN_SERIES, NARROW_WIDTH, compare_form_rows, comparison_chart, comparison_csv, comparison_filename, measure_links,
    parse_compare, series_compare, topic_choices,
)
from .forms import MAX_QUERY_LENGTH, SORTS, SearchFilters, parse_search_filters
from .histogram import date_histogram
from .ingest import is_heading, split_paragraphs
from .models import Actor, ActorRedirect, Article, Topic, TopicRedirect
from .navigation import results_url
from .pagination import paginate, results_page_or_404
from .search.highlight import mark_matches
from .search.selectors import SearchPage, article_search, highlight_query, related_articles
from .suggestions import common_words_notice, did_you_mean

MAX_HIT_LINKS = 50


def search(request: HttpRequest) -> HttpResponse:
    filters, notices = parse_search_filters(request.GET)
    if request.GET.get("format") in EXPORT_FORMATS:
        return export_response(request, filters, notices, request.GET["format"])
    result = article_search(filters)
    status = 404 if result.out_of_range else 200
    if request.GET.get("format") == "json":
        return JsonResponse(_search_json(filters, result), status=status, json_dumps_params={"ensure_ascii": False})
    chips = active_filter_chips(filters)
    empty = result.count == 0 and not result.out_of_range
    notices += list(result.notices)
    if empty and filters.q and (common := common_words_notice(filters)):
        notices.append(common)
    context = {
        "filters": filters,
        "start_page": not filters.params(),
        "notices": notices,
        "result": result,
        "rows": result_rows(filters, result),
        "facet_groups": facet_groups(filters, result.facets),
        "histogram": date_histogram(filters, result.facets.months, result.facets.days),
        "chips": chips,
        "relaxations": relaxations(chips) if empty else [],
        "spelling": did_you_mean(filters, result.count) if empty and filters.q else None,
        "clear_filters_url": SearchFilters(q=filters.q, sort=filters.sort).url(),
        "sort_links": [
            (sort, filters.replace(sort=sort).url(), sort == filters.sort)
            for sort in SORTS
            if filters.q or sort != "relevance"
        ],
        "pagination": paginate(result.page, result.num_pages, lambda n: filters.replace(page=n).url()),
        "last_page_url": filters.replace(page=result.num_pages).url(),
        "canonical_url": request.build_absolute_uri(filters.url()),
        "json_url": filters.url(format="json"),
        "export_urls": _export_urls(filters),
        "description": filters.describe(),
    }
    return render(request, "articles/search.html", context, status=status)


def _export_urls(filters: SearchFilters) -> dict[str, str]:
    """Links to the whole result set in each export format (page and sort do not matter to feeds)."""
    whole = filters.replace(page=1)
    return {
        "atom": whole.replace(sort=whole.default_sort).url(format="atom"),
        "csv": whole.url(format="csv"),
        "jsonl": whole.url(format="jsonl"),
    }


def _search_json(filters: SearchFilters, result: SearchPage) -> dict:
    """The search page as data: same view, same order, same facets."""
    return {
        "count": result.count,
        "page": result.page,
        "num_pages": result.num_pages,
        "results": [
            {
                "id": row.article.pk,
                "headline": row.article.headline,
                "date": row.article.date.isoformat(),
                "url": row.article.get_absolute_url(),
                "source": row.article.source,
                "snippet": str(row.snippet) if row.snippet else None,
                "versions": row.article.version_count,  # similar versions left out of the results
                "actors": [actor._asdict() for actor in row.actors],
                "topics": [topic._asdict() for topic in row.topics],
            }
            for row in result.rows
        ],
        "facets": {
            "actors": result.facets.actors,
            "topics": result.facets.topics,
            "months": result.facets.months,
        },
    }


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.prefetch_related("actors", "topics"), pk=pk)
    highlight = " ".join(request.GET.get("hl", "").split())[:MAX_QUERY_LENGTH]
    if slug != article.slug:  # an old or mistyped address: the canonical one, with its highlighting
        return redirect(article.get_absolute_url() + (f"?{urlencode({'hl': highlight})}" if highlight else ""), permanent=True)
    texts = split_paragraphs(article.body)
    marked, hits = mark_matches(texts, highlight_query(highlight))
    context = {
        "article": article,
        "paragraphs": [(is_heading(text), html) for text, html in zip(texts, marked)],
        "highlight": highlight,
        "hits": range(1, min(hits, MAX_HIT_LINKS) + 1),
        "hit_count": hits,
        "related": related_articles(article),
        "back_url": results_url(request, highlight),
    }
    return render(request, "articles/article_detail.html", context)


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = Actor.objects.filter(slug=slug).select_related("affiliation").first()
    if actor is None:
        redirect_to = get_object_or_404(ActorRedirect, old_slug=slug).actor
        return redirect(redirect_to, permanent=True)
    return _label_page(request, actor, SearchFilters(actors=(actor,)), "articles/actor_detail.html")


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        redirect_to = get_object_or_404(TopicRedirect, old_slug=slug).topic
        return redirect(redirect_to, permanent=True)
    return _label_page(request, topic, SearchFilters(topics=(topic,)), "articles/topic_detail.html")


def _alongside(groups: list) -> list:
    """Actor and topic facets without the page's own label: who and what appears with it."""
    groups = [
        dataclasses.replace(group, values=[value for value in group.values if not value.selected])
        for group in groups
        if group.name.startswith(("actor", "topic"))
    ]
    return [group for group in groups if group.values]


def _label_page(request: HttpRequest, label, filters: SearchFilters, template: str) -> HttpResponse:
    """An actor's or topic's articles, newest first, with their dates and the labels seen alongside."""
    filters, result = results_page_or_404(request, filters)
    context = {
        "label": label,
        "result": result,
        "rows": result_rows(filters, result, with_snippets=False),
        "search_url": filters.replace(page=1).url(),
        "histogram": date_histogram(filters, result.facets.months, result.facets.days),
        "facet_groups": _alongside(facet_groups(filters, result.facets)),
        "export_urls": _export_urls(filters),
        "pagination": paginate(result.page, result.num_pages, lambda n: f"?page={n}" if n > 1 else "?"),
    }
    return render(request, template, context)


def compare(request: HttpRequest) -> HttpResponse:
    """Two to five actors or queries over time, as counts or shares; the form when fewer than two."""
    params, notices = parse_compare(request.GET)
    if ("kind" in request.GET or "value" in request.GET) and not notices and not request.GET.get("format"):
        return redirect(params.url())  # the form's rows, shown at the canonical address
    comparison = series_compare(params) if len(params.series) >= MIN_SERIES else None
    if comparison and request.GET.get("format") == "csv":
        response = HttpResponse(comparison_csv(comparison), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{comparison_filename(params)}"'
        response["Link"] = view_link(request.build_absolute_uri(params.replace(measure="count").url()))
        return response
    context = {
        "params": params,
        "notices": notices,
        "comparison": comparison,
        "chart": comparison_chart(comparison) if comparison else None,
        "chart_narrow": comparison_chart(comparison, width=NARROW_WIDTH, most_ticks=3) if comparison else None,
        "measure_links": measure_links(params),
        "form_rows": compare_form_rows(params),
        "topics": topic_choices(),
        "canonical_url": request.build_absolute_uri(params.url()),
        "csv_url": params.replace(measure="count").url(format="csv"),
    }
    return render(request, "articles/compare.html", context)
