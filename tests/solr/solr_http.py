"""Plain HTTP to the test cluster's Solr nodes (urllib), JSON in and out.

Deliberately not Newsdesk's own Solr client: these tests check the cluster and the configset,
whatever the engine code does.
"""

import json
import urllib.error
import urllib.parse
import urllib.request


class SolrError(Exception):
    """Solr answered with an error status; the message is Solr's own."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


def _request(request: urllib.request.Request, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        try:
            message = json.loads(body)["error"]["msg"]
        except (ValueError, KeyError, TypeError):
            message = body[:500]
        raise SolrError(error.code, message) from None


def _url(base_url: str, path: str, params: dict) -> str:
    # ("http://127.0.0.1:18983/solr", "newsdesk/select", {"q": "x", "fq": ["a", "b"]})
    #   -> http://127.0.0.1:18983/solr/newsdesk/select?q=x&fq=a&fq=b&wt=json
    query = urllib.parse.urlencode({**params, "wt": "json"}, doseq=True)
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}?{query}"


def get(base_url: str, path: str, timeout: float = 30, **params) -> dict:
    """GET base_url/path?params as JSON."""
    return _request(urllib.request.Request(_url(base_url, path, params)), timeout)


def post_json(base_url: str, path: str, body, timeout: float = 60, **params) -> dict:
    """POST body as JSON (e.g. documents to /update) and return Solr's JSON answer."""
    request = urllib.request.Request(
        _url(base_url, path, params), data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    return _request(request, timeout)


def post_form(base_url: str, path: str, fields: dict, timeout: float = 60) -> dict:
    """POST fields form-encoded (long values, e.g. text for /analysis/field) and return the JSON answer."""
    data = urllib.parse.urlencode({**fields, "wt": "json"}, doseq=True).encode()
    request = urllib.request.Request(f"{base_url.rstrip('/')}/{path.lstrip('/')}", data=data)
    return _request(request, timeout)
