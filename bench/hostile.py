"""Time the requests anyone can send that used to hold a worker for seconds (issue 19), on a built archive.

    .venv/bin/python bench/hostile.py /tmp/data10k                 # every probe, 3 timed runs each
    .venv/bin/python bench/hostile.py /tmp/data10k --saved-views 500

DATA_DIR is a Newsdesk data dir with articles ingested (bench/run.py's bench/var/10k, or any
`NEWSDESK_DATA_DIR` after `manage.py ingest`). Each probe is requested once to warm up, then
timed RUNS times through Django's test client (in process, no HTTP: the figures are the app's
own work). Prints the median and slowest run of each, its status and size, and flags any
over the 2 s target. --saved-views N also times "My saved views" for a researcher with N
saved views (made for the run in the data dir's database, and deleted after). Exit status 1
when any probe's slowest run is over 2 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from inprocess import django_over

TARGET_SECONDS = 2.0
MISSPELT = (
    "ceasfire goverment negociations sanctons minster presidnet parliment elecsion diplomatc agreemnt "
    "treatey embasy ambasador refugies militery conflcit resoluton sumit councel securty economc "
    "inflaton tarifs exprts imprts pipline enrgy climte emisions protestors journalsts oposition "
    "constitutin referendm coaliton ministery spokesmn negotiaters withdrawl occupaton humanitarain "
    "asylm borderr cyberatack survellance sovreignty alience bilaterl multilaterl"
).split()
PROBES = [
    ("q: 'a b' × 70", "/search/", {"q": "a b " * 70}),
    ("q: 'a' + 100 combining accents", "/search/", {"q": "a" + "\u0301" * 100}),
    ("q: 15 prefixes ANDed", "/search/", {"q": " ".join(f"{p}*" for p in "mi go ro fi la ne sa po ta ve ka di ma be ho".split())}),
    ("q: 15 common 3-letter prefixes", "/search/", {"q": " ".join(f"{p}*" for p in "con pro sta com pre int par res rep dis tra gov min cou ele".split())}),
    ("q: 4 common prefixes ANDed", "/search/", {"q": "res* rep* dis* tra*"}),
    ("q: 8 common prefixes ORed", "/search/", {"q": "con* OR pro* OR sta* OR com* OR pre* OR int* OR par* OR res*"}),
    ("q: 50 misspelt words (did you mean)", "/search/", {"q": " ".join(MISSPELT[:50])}),
    ("q: 300 characters of one phrase", "/search/", {"q": '"' + " ".join(["talks minister said"] * 14) + '"'}),
    ("browse 0001-01-01 to 9999-12-31", "/search/", {"from": "0001-01-01", "to": "9999-12-31"}),
    ("q with 0001-01-01 to 9999-12-31", "/search/", {"q": "minister", "from": "0001-01-01", "to": "9999-12-31"}),
    ("as_of 9999-12-31", "/search/", {"as_of": "9999-12-31", "q": "minister"}),
    ("CSV of a junk actor (refused)", "/search/", {"actor": "no-such-actor", "format": "csv"}),
    # Up to EXPORT_INLINE_ROWS matches come whole in the request; more become a background job (303).
    ("CSV of every article", "/search/", {"format": "csv"}),
    ("JSON lines of every article", "/search/", {"format": "jsonl"}),
    ("compare 5 series, 0001 to 9999", "/compare/", {
        "s": ["q:minister", "q:talks", "q:sanctions", "q:trade", "q:energy"], "from": "0001-01-01", "to": "9999-12-31",
    }),
    ("compare 5 series of 4 common prefixes", "/compare/", {"s": [
        "q:con* pro* sta* gov*", "q:com* pre* int* par*", "q:res* rep* dis* tra*", "q:min* cou* ele* sec*",
        "q:for* fin* man* pol*",
    ]}),
    ("compare 5 series, 0001 to 9999, CSV", "/compare/", {
        "s": ["q:minister", "q:talks", "q:sanctions", "q:trade", "q:energy"], "from": "0001-01-01", "to": "9999-12-31",
        "format": "csv",
    }),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saved-views", type=int, default=0, metavar="N")
    args = parser.parse_args()
    django_over(args.data_dir)
    from django.test import Client

    from articles.models import Article

    client = Client(HTTP_HOST="localhost")
    load = os.getloadavg()[0]
    print(f"{Article.objects.count():,} articles in {args.data_dir}; median and slowest of {args.runs} runs (s); "
          f"load average {load:.1f} on {os.cpu_count()} cores (CPU: this process's own seconds, median)\n")
    print("| request | median | slowest | CPU | status | size |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    slow = 0
    for label, path, params in PROBES:
        slow += _report(label, lambda: client.get(path, params), args.runs)
    if args.saved_views:
        slow += _saved_views(client, args.saved_views, args.runs)
    print(f"\n{slow} request(s) over {TARGET_SECONDS:g} s")
    return 1 if slow else 0


def _report(label: str, request, runs: int) -> int:
    response = _fetched(request)  # warm-up
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = _fetched(request)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    flag = " **over target**" if max(times) > TARGET_SECONDS else ""
    size = len(response.content) if not response.streaming else response.streamed_size
    print(f"| {label} | {statistics.median(times):.3f} | {max(times):.3f}{flag} | {statistics.median(cpu):.3f} "
          f"| {response.status_code} | {size:,} |")
    return int(bool(flag))


def _fetched(request):
    response = request()
    if response.streaming:  # the time of a stream is the time to send all of it
        response.streamed_size = sum(len(chunk) for chunk in response.streaming_content)
    return response


def _saved_views(client, count: int, runs: int) -> int:
    """Time /saved/ for a researcher with `count` saved views of varied searches (deleted afterwards)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from articles.models import Actor, Topic
    from savedviews.models import SavedView

    researcher = User.objects.create_user(f"bench-researcher-{os.getpid()}")
    try:
        actors = list(Actor.objects.values_list("slug", flat=True)[:100])
        topics = list(Topic.objects.values_list("slug", flat=True))
        words = ["minister", "talks", "sanctions", "trade", "energy", "peace talks", "summit", "election",
                 "con* pro* sta* gov*", "res* rep* dis* tra*", "negotiat* sanction*"]  # prefixes: their costs looked up
        now = timezone.now()
        SavedView.objects.bulk_create(
            SavedView(owner=researcher, name=f"view {n}", last_opened=now, params=_params(n, words, actors, topics))
            for n in range(count)
        )
        client.force_login(researcher)
        return _report(f"My saved views ({count} views)", lambda: client.get("/saved/"), runs)
    finally:
        researcher.delete()


def _params(n: int, words: list[str], actors: list[str], topics: list[str]) -> str:
    """A mix: a third text queries, a third filters, a third both, with dates now and then."""
    parts = []
    if n % 3 != 1:
        parts.append(f"q={words[n % len(words)].replace(' ', '+')}")
    if n % 3 != 0 and actors:
        parts.append(f"actor={actors[n % len(actors)]}")
    if n % 5 == 0 and topics:
        parts.append(f"topic={topics[n % len(topics)]}")
    if n % 7 == 0:
        parts.append(f"from={2015 + n % 10}-01-01")
    return "&".join(parts)


if __name__ == "__main__":
    sys.exit(main())
