"""Sample documents of the configset's schema, kept apart from articles by their django_ct."""

from . import solr_http

ALIAS = "newsdesk"  # what Newsdesk searches; setup points it at newsdesk_1
SAMPLE_CT = "tests.solr"  # never an article's django_ct ("articles.article")


def sample_document(number: int, **fields) -> dict:
    """One article-shaped document; fields override the defaults."""
    return {
        "id": f"{SAMPLE_CT}.{number}",
        "django_ct": SAMPLE_CT,
        "django_id": number,
        "headline": f"Sample article {number}",
        "text": f"Sample article {number}\n\nTalks on a ceasefire resumed in Zürich.",
        "date": "2024-04-03T00:00:00Z",
        "created": 1712145600000000,  # 2024-04-03T12:00:00Z in microseconds, as the engine writes it
        "updated": "2024-04-03T12:00:00Z",
        "month": ["2024-04"],
        "day": ["2024-04-03"],
        "actors": [],
        "topics": [],
        "is_version": False,
        **fields,
    }


def index_documents(url: str, documents: list[dict], collection: str = ALIAS) -> None:
    """Add documents and commit: searches see them when this returns."""
    solr_http.post_json(url, f"{collection}/update", documents, commit="true")


def delete_sample_documents(url: str) -> None:
    solr_http.post_json(url, f"{ALIAS}/update", {"delete": {"query": f'django_ct:"{SAMPLE_CT}"'}}, commit="true")


def search(url: str, collection: str = ALIAS, **params) -> dict:
    """/select over the sample documents only."""
    filters = [f'django_ct:"{SAMPLE_CT}"', *params.pop("fq", [])]
    return solr_http.get(url, f"{collection}/select", fq=filters, **params)
