"""Pages: search, article, actor and topic. Thin: parse input, call a selector, render."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .facets import active_filter_chips, facet_groups, label_links
from .forms import SORTS, SearchFilters, parse_search_filters
from .ingest import is_heading, split_paragraphs
from .models import Actor, Article, Topic
from .pagination import paginate
from .search import SearchPage, article_search


def search(request: HttpRequest) -> HttpResponse:
    filters, notices = parse_search_filters(request.GET)
    result = article_search(filters)
    status = 404 if result.out_of_range else 200
    if request.GET.get("format") == "json":
        return JsonResponse(_search_json(filters, result), status=status, json_dumps_params={"ensure_ascii": False})
    context = {
        "filters": filters,
        "notices": notices,
        "result": result,
        "rows": [(row.article, row.snippet, label_links(filters, row.article)) for row in result.rows],
        "facet_groups": facet_groups(filters, result.facets),
        "chips": active_filter_chips(filters),
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
    }
    return render(request, "articles/search.html", context, status=status)


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
                "actors": [{"name": a.name, "kind": a.kind, "slug": a.slug} for a in row.article.actors.all()],
                "topics": [{"name": t.name, "slug": t.slug} for t in row.article.topics.all()],
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
    if slug != article.slug:
        return redirect(article, permanent=True)
    paragraphs = [(is_heading(text), text) for text in split_paragraphs(article.body)]
    return render(request, "articles/article_detail.html", {"article": article, "paragraphs": paragraphs})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor, slug=slug)
    return _label_page(request, actor, SearchFilters(actors=(actor,)), "articles/actor_detail.html")


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return _label_page(request, topic, SearchFilters(topics=(topic,)), "articles/topic_detail.html")


def _label_page(request: HttpRequest, label, filters: SearchFilters, template: str) -> HttpResponse:
    """List the articles of an actor or topic, newest first, paginated."""
    articles = label.articles.prefetch_related("actors", "topics").order_by("-date", "-id")
    paginator = Paginator(articles, settings.SEARCH_RESULTS_PER_PAGE, orphans=3)
    number = request.GET.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= paginator.num_pages:
        raise Http404("No such page.")
    page = paginator.page(int(number))
    context = {
        "label": label,
        "page": page,
        "rows": [(article, None, label_links(filters, article)) for article in page.object_list],
        "search_url": filters.url(),
        "pagination": paginate(page.number, paginator.num_pages, lambda n: f"?page={n}" if n > 1 else "?"),
    }
    return render(request, template, context)
