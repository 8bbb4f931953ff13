"""A bounded, seeded fuzz of every public page and parameter in every format, through Django's test client.

    results = fuzz(client, researcher, archive, requests=10_000, seed=19)
    results.failures   # [(request, what went wrong)]: a 5xx, an exception, or a body its format cannot read
    results.slowest    # the ten slowest requests, with their seconds
    results.busiest    # the ten that took the most CPU time in this process (a stalled disk does not count)

Each request picks a page (URL_KINDS: the search in every format, article, actor and topic
pages, compare, feeds, shared pages, export jobs and their files, the save-view form and its
POST, sign-in), then up to
six of that page's parameters, each once or repeated, each value either one the archive
knows (a real slug, a real date) or a hostile one (NUL and other control characters,
stacked accents, 5,000 characters, dates at the ends of the calendar, broken syntax).
test_fuzz.py runs it in CI; bench/fuzz.py runs it over a large archive and prints figures.
"""

import csv
import dataclasses
import io
import json
import random
import time
from collections.abc import Callable
from urllib.parse import urlsplit
from xml.etree import ElementTree

HOSTILE = [
    "", " ", "\x00", "\x01", "\x1b[31m", "\x7f", "\t\n", "%00", "%", "&", "=", "#", "?", "/", "\\", "'", '"', '""',
    "*", "-", "--", "OR", "OR OR", "a OR", "-gas", "-a -b", "headline:", "title:x", "headline:\"\"", ":", "::", "(((",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "=cmd|' /C calc'!A0", "' OR 1=1 --",
    "a" * 5000, "gas " * 200, "a b " * 70, "a" + "\u0301" * 100, "🙂" * 60, "\u202e", "\ufeff", "\uffff", "\u0000x",
    "mi* go* ro* fi* la* ne* sa* po* ta* ve* ka* di* ma* be* ho*", '"' + "talks " * 60 + '"', "x*", "**", "a*",
    "0", "-1", "1.5", "1e309", "99999999999999999999", "NaN", "None", "null", "true", "[]", "{}",
    "0001-01-01", "9999-12-31", "9999-12-30", "2024-02-30", "2024-13-01", "10000-01-01", "2024-1-1", "24-01-01",
    "../../etc/passwd", "..", ".", "%2e%2e%2f", "ünï", "Zürich", "ΑΘΗΝΑ", "Москва", "北京", "\u0130stanbul",
]
WORDS = ["gas", "officials", "pipeline", "talks", "minister", "Putin", "Beijing", "NATO", "deal", "sanction*",
         '"power of siberia"', "Bürgenstock", "burgenstock", "zzyzx", "ceasfire"]
FORMATS = ["", "html", "json", "csv", "jsonl", "atom", "xml", "pdf"]
SORTS = ["relevance", "newest", "oldest", "sideways"]
MEASURES = ["count", "share", "pie"]
SEARCH_PARAMS = ["q", "from", "to", "actor", "actor_any", "actor_not", "topic", "topic_any", "topic_not", "as_of", "sort",
                 "page", "format"]


@dataclasses.dataclass(frozen=True)
class FuzzArchive:
    """What the archive holds, for values that mean something: slugs, an article's address, tokens."""

    actors: list[str]
    topics: list[str]
    article_urls: list[str]
    feed_tokens: list[str]
    share_tokens: list[str]
    export_tokens: list[str] = dataclasses.field(default_factory=list)  # background exports, finished
    export_downloads: list[str] = dataclasses.field(default_factory=list)  # their files' addresses


@dataclasses.dataclass(frozen=True)
class FuzzRequest:
    method: str
    path: str
    data: dict
    signed_in: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.data!r}{' (signed in)' if self.signed_in else ''}"


@dataclasses.dataclass
class FuzzResults:
    tried: int = 0
    failures: list[tuple[FuzzRequest, str]] = dataclasses.field(default_factory=list)
    slowest: list[tuple[float, FuzzRequest, int]] = dataclasses.field(default_factory=list)
    busiest: list[tuple[float, FuzzRequest, int]] = dataclasses.field(default_factory=list)  # by CPU seconds
    statuses: dict[int, int] = dataclasses.field(default_factory=dict)
    kinds: dict[str, int] = dataclasses.field(default_factory=dict)
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # by kind

    def record(self, request: FuzzRequest, kind: str, seconds: float, cpu_seconds: float, status: int,
               problem: str | None) -> None:
        self.tried += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds
        if problem:
            self.failures.append((request, problem))
        self.slowest = _top_ten(self.slowest, (seconds, request, status))
        self.busiest = _top_ten(self.busiest, (cpu_seconds, request, status))

    def summary(self) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        lines = [f"{self.tried} requests tried, {len(self.failures)} failed ({statuses})"]
        lines += [f"  {kind}: {self.kinds[kind]} requests, {self.seconds[kind]:.1f} s" for kind in sorted(self.kinds)]
        for heading, entries in (("slowest:", self.slowest), ("most CPU time:", self.busiest)):
            lines += [heading] + [f"  {seconds:.3f} s  {status}  {str(request)[:300]}" for seconds, request, status in entries]
        lines += [f"FAILED {str(request)[:300]}: {problem}" for request, problem in self.failures[:20]]
        return "\n".join(lines)


def _top_ten(entries: list, entry: tuple) -> list:
    return sorted([*entries, entry], key=lambda each: -each[0])[:10]


def fuzz(client, researcher, archive: FuzzArchive, *, requests: int, seed: int) -> FuzzResults:
    """Send `requests` fuzzed requests (anonymous through client, signed in through researcher)."""
    rng = random.Random(seed)
    results = FuzzResults()
    kinds = list(URL_KINDS.items())
    weights = [weight for _, (weight, _) in kinds]
    for _ in range(requests):
        (kind, (_, make)), = rng.choices(kinds, weights)
        request = make(rng, archive)
        sender = researcher if request.signed_in else client
        start, cpu_start = time.perf_counter(), time.thread_time()
        status, problem = _sent(sender, request)
        results.record(request, kind, time.perf_counter() - start, time.thread_time() - cpu_start, status, problem)
    return results


def _sent(client, request: FuzzRequest) -> tuple[int, str | None]:
    """Send one request and read all of its answer; (status, what went wrong or None)."""
    try:
        send = client.post if request.method == "POST" else client.get
        response = send(request.path, request.data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:  # a view that raises is a 500 in production
        return 500, f"{type(error).__name__}: {str(error)[:200]}"
    if response.status_code >= 500:
        return response.status_code, f"status {response.status_code}"
    return response.status_code, _unreadable(response, body)


def _unreadable(response, body: bytes) -> str | None:
    """Why the body is not what its content type promises (None when it is)."""
    content_type = response.get("Content-Type", "").split(";")[0]
    try:
        text = body.decode("utf-8")
        if content_type == "application/atom+xml":
            ElementTree.fromstring(body)
        elif content_type == "application/json":
            json.loads(text)
        elif content_type == "application/x-ndjson":
            for line in text.splitlines():
                json.loads(line)
        elif content_type == "text/csv":
            list(csv.reader(io.StringIO(text)))
    except (UnicodeDecodeError, ElementTree.ParseError, ValueError, csv.Error) as error:
        return f"unreadable {content_type}: {error}"
    if content_type == "text/html" and ("Traceback" in text or "<script>alert(1)" in text):
        return "a traceback or unescaped markup in the page"
    return None


def _value(rng: random.Random, meaningful: Callable[[], str]) -> str:
    """A value for one parameter: a meaningful one, a hostile one, or random text."""
    roll = rng.random()
    if roll < 0.45:
        return meaningful()
    if roll < 0.85:
        return rng.choice(HOSTILE)
    return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0xA0, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
                   for _ in range(rng.randint(1, 30)))


def _params(rng: random.Random, names: list[str], meaningful: dict[str, Callable[[], str]]) -> dict:
    """Up to six of the page's parameters (sometimes an unknown one), each once or a few times."""
    params = {}
    for name in rng.sample(names, rng.randint(0, min(6, len(names)))) + (["x"] if rng.random() < 0.05 else []):
        make = meaningful.get(name, lambda: rng.choice(WORDS))
        values = [_value(rng, make) for _ in range(1 if rng.random() < 0.8 else rng.randint(2, 12))]
        params[name] = values if len(values) > 1 else values[0]
    return params


def _search_values(rng: random.Random, archive: FuzzArchive) -> dict[str, Callable[[], str]]:
    def date() -> str:
        return f"{rng.randint(2014, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def words() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))

    actor, topic = (lambda: rng.choice(archive.actors)), (lambda: rng.choice(archive.topics))
    return {
        "q": words, "from": date, "to": date, "as_of": date, "sort": lambda: rng.choice(SORTS),
        "page": lambda: str(rng.randint(1, 3)), "format": lambda: rng.choice(FORMATS), "hl": words,
        "actor": actor, "actor_any": actor, "actor_not": actor, "topic": topic, "topic_any": topic, "topic_not": topic,
        "measure": lambda: rng.choice(MEASURES), "kind": lambda: rng.choice(["actor", "q", "query", "x"]),
        "value": lambda: rng.choice([actor(), words(), "Xi Jinping", "Putin"]),
        "s": lambda: rng.choice([f"actor:{actor()}", f"q:{words()}", f"query:{words()}", f"x:{words()}", words()]),
        "name": words, "note": words, "params": lambda: f"q={words()}&actor={actor()}&from={date()}",
        "username": lambda: rng.choice(["alice", "nobody"]), "password": words,
    }


def _search(rng, archive):
    path = rng.choice(["/", "/search/"])
    params = _params(rng, SEARCH_PARAMS, _search_values(rng, archive))
    if rng.random() < 0.5:  # every export format gets its share of hostile filters
        params["format"] = rng.choice(["json", "csv", "jsonl", "atom"])
    return FuzzRequest("GET", path, params)


def _label_page(rng, archive):
    kind, slugs = rng.choice([("actors", archive.actors), ("topics", archive.topics)])
    slug = rng.choice(slugs) if rng.random() < 0.7 else rng.choice(["no-such-label", "x" * 300, "-", "_"])
    return FuzzRequest("GET", f"/{kind}/{slug}/", _params(rng, ["page", "format"], _search_values(rng, archive)))


def _article(rng, archive):
    url = rng.choice(archive.article_urls)
    if rng.random() < 0.2:
        url = rng.choice([url.rsplit("/", 2)[0] + "/wrong-slug/", "/articles/999999/x/", "/articles/0/a/"])
    return FuzzRequest("GET", url, _params(rng, ["hl"], _search_values(rng, archive)))


def _compare(rng, archive):
    return FuzzRequest("GET", "/compare/", _params(rng, ["s", "kind", "value", "from", "to", "topic", "measure", "format"],
                                                  _search_values(rng, archive)))


def _feed(rng, archive):
    token = rng.choice(archive.feed_tokens) if rng.random() < 0.7 else _value(rng, lambda: "x" * 43).strip("/") or "x"
    return FuzzRequest("GET", f"/saved/feed/{token}/", _params(rng, ["page", "format"], _search_values(rng, archive)))


def _shared(rng, archive):
    token = rng.choice(archive.share_tokens) if rng.random() < 0.7 else _value(rng, lambda: "y" * 43).strip("/") or "y"
    return FuzzRequest("GET", f"/shared/{token}/", _params(rng, ["page"], _search_values(rng, archive)))


def _export_job(rng, archive):
    token = rng.choice(archive.export_tokens) if rng.random() < 0.7 else _value(rng, lambda: "z" * 32).strip("/") or "z"
    return FuzzRequest("GET", f"/exports/{token}/", _params(rng, ["format"], {"format": lambda: "json"}))


def _export_download(rng, archive):
    url = rng.choice(archive.export_downloads)
    if rng.random() < 0.4:  # another file name (redirected to the real one), or another token
        token, name = url.rsplit("/", 2)[1:]
        url = rng.choice([f"/exports/{token}/{_value(rng, lambda: name).strip('/') or 'x'}", f"/exports/{'z' * 32}/{name}"])
    return FuzzRequest("GET", url, {})


def finished_export_jobs(client) -> tuple[list[str], list[str]]:
    """Two background exports to fuzz, one written and one failed: (their tokens, the written one's download address).

    Written here and now by the exports' own writer (no thread): the search pages only ask for a
    job when a view has more than EXPORT_INLINE_ROWS matches.
    """
    from exports.jobs import export_jobs_run
    from exports.models import ExportJob

    written = ExportJob.objects.create(format="csv", params="q=officials", origin="http://testserver")
    failed = ExportJob.objects.create(format="jsonl", params="actor=no-such-actor", origin="http://testserver")
    export_jobs_run()
    download = client.get(written.get_absolute_url(), {"format": "json"}).json()["download"]
    return [written.token, failed.token], [urlsplit(download).path]


def _save_form(rng, archive):
    return FuzzRequest("GET", "/saved/new/", _params(rng, SEARCH_PARAMS, _search_values(rng, archive)), signed_in=True)


def _save_post(rng, archive):
    data = _params(rng, ["name", "note", "params"], _search_values(rng, archive))
    return FuzzRequest("POST", "/saved/new/", data, signed_in=True)


def _signed_in_list(rng, archive):
    return FuzzRequest("GET", "/saved/", _params(rng, ["page"], _search_values(rng, archive)), signed_in=True)


def _sign_in_page(rng, archive):
    return FuzzRequest("GET", "/accounts/login/", _params(rng, ["next"], {"next": lambda: rng.choice(["/saved/", "//evil.example/"])}))


# kind -> (share of the requests, request maker): every public page, the search most.
URL_KINDS = {
    "search": (40, _search),
    "actor or topic page": (10, _label_page),
    "article": (8, _article),
    "compare": (14, _compare),
    "saved view feed": (6, _feed),
    "shared view": (6, _shared),
    "export job": (2, _export_job),
    "export download": (2, _export_download),
    "save form (signed in)": (6, _save_form),
    "save (POST, signed in)": (4, _save_post),
    "saved views (signed in)": (3, _signed_in_list),
    "sign-in page": (3, _sign_in_page),
}
# The URL names these requests reach; test_fuzz checks that no public page is left out.
FUZZED_URL_NAMES = {
    "home", "search", "article_detail", "actor_detail", "topic_detail", "compare", "saved_view_feed",
    "saved_view_shared", "saved_view_new", "saved_views", "login", "export_job", "export_download",
}
