"""HTTP to the SolrCloud nodes: each node in turn, with timeouts, Solr's failures as Newsdesk's errors.

# SolrClient(["http://127.0.0.1:18983/solr", "http://127.0.0.1:18984/solr"]).post("newsdesk/select", params)
#   node 1 refuses the connection -> node 2 answers -> its JSON; every node down -> SearchUnavailable
Any node answers for the whole collection (SolrCloud routes each request to the replicas that hold
the data), so a node that is down, times out or answers 5xx is skipped for the next one, and the
node that answered is asked first next time. A 4xx is Solr saying the request does not fit its
setup (no such collection, alias or field, a schema that cannot parse the values): the same on
every node, so it is SearchMisconfigured at once.
"""

import threading
import time

import requests

from ..base import SearchMisconfigured, SearchUnavailable

CONNECT_TIMEOUT = 2.0  # seconds to open a connection to one node: a refused one on a LAN fails at once
SEARCH_TIMEOUT = 15.0  # seconds to wait for a search's answer
WRITE_TIMEOUT = 120.0  # a batch of documents and its commit
ADMIN_TIMEOUT = 300.0  # creating or deleting a collection
# An error page Solr answers when a collection's core failed to load its configuration: the same on every node.
CONFIGURATION_FAILURES = ("init failure", "SolrCoreInitializationException", "Error loading class")


class SolrClient:
    def __init__(self, urls: list[str]):
        if not urls:
            raise SearchMisconfigured("no SolrCloud node URL is configured (NEWSDESK_SEARCH_URL)")
        self.urls = list(urls)
        self._first = 0  # the node that answered last
        self._local = threading.local()

    def get(self, path: str, params=None, timeout: float = SEARCH_TIMEOUT) -> dict:
        return self.request("GET", path, params=params, timeout=timeout)

    def post(self, path: str, params=None, timeout: float = SEARCH_TIMEOUT, retry_for: float = 0, **body) -> dict:
        return self.request("POST", path, params=params, timeout=timeout, retry_for=retry_for, **body)

    def request(self, method: str, path: str, *, params=None, timeout: float = SEARCH_TIMEOUT,
                retry_for: float = 0, **body) -> dict:
        """Solr's JSON answer from the first node that gives one.

        retry_for: seconds to keep asking while nodes answer but fail (a shard electing a new
        leader after its node died refuses writes for a few seconds); a cluster that refuses
        every connection fails at once.
        """
        deadline = time.monotonic() + retry_for
        pause = 0.25
        while True:
            answer, failures, answered = self._round(method, path, params, timeout, body)
            if answer is not None:
                return answer
            if not answered or time.monotonic() + pause > deadline:
                break
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
        if answered and all(any(sign in failure for sign in CONFIGURATION_FAILURES) for failure in failures):
            raise SearchMisconfigured(f"SolrCloud cannot load the collection: {failures[0]}")
        raise SearchUnavailable("SolrCloud did not answer: " + "; ".join(failures))

    def _round(self, method, path, params, timeout, body):
        """Ask each node once, from the one that answered last: (JSON or None, failures, whether a node answered)."""
        failures, answered = [], False
        count = len(self.urls)
        for step in range(count):
            index = (self._first + step) % count
            url = self.urls[index]
            try:
                response = self._session().request(method, f"{url}/{path}", params=params,
                                                   timeout=(CONNECT_TIMEOUT, timeout), **body)
            except requests.RequestException as error:  # refused, reset, timed out
                failures.append(f"{url}: {_reason(error)}")
                continue
            if response.status_code >= 500:
                answered = True
                failures.append(f"{url}: HTTP {response.status_code} {solr_message(response)}")
                continue
            self._first = index
            if response.status_code >= 400:
                raise SearchMisconfigured(
                    f"SolrCloud refused {path} (HTTP {response.status_code}): {solr_message(response)}"
                )
            try:
                return response.json(), failures, True
            except ValueError:
                raise SearchMisconfigured(f"{url}/{path} did not answer JSON: is it a Solr node?") from None
        return None, failures, answered

    def _session(self) -> requests.Session:
        # One connection pool per thread: gunicorn threads never share a socket.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session


def solr_message(response: requests.Response) -> str:
    """Solr's own error message, on one line."""
    try:
        error = response.json().get("error", {})
        message = error.get("msg") or error.get("trace", "")
    except ValueError:  # an HTML error page: no such path (a wrong URL, a collection or alias that does not exist)
        message = f"{response.reason} ({response.request.path_url.split('?')[0]})"
    return " ".join(str(message).split())[:500] or response.reason


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        return "connection refused or lost"
    return type(error).__name__
