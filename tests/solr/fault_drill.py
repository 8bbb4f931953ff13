"""What a SolrCloud fault costs, in seconds: a node killed, then the whole cluster stopped and started.

    scripts/with-solr .venv/bin/python -m tests.solr.fault_drill

Writes 40 sample documents through the alias, kills -9 the node leading the most shards, and
prints how searches answer meanwhile, how long until a write is accepted again, how long the node
takes to come back and recover; then stops every process, times a refused request, starts them
again and checks the documents are all there. tests/solr/test_faults.py asserts the same steps;
this prints the figures. The sample documents are deleted at the end.
"""

import os
import shlex
import subprocess
import sys
import time
import urllib.error
from collections import Counter

from . import solr_http
from .cluster_state import cluster_state
from .documents import ALIAS, delete_sample_documents, index_documents, sample_document, search


def ids(url: str) -> list[int]:
    """django_ids of every sample document, searched through the alias on this node."""
    answer = search(url, q="*:*", rows=1000, fl="django_id")
    return sorted(doc["django_id"] for doc in answer["response"]["docs"])


def write_until_accepted(urls: list[str], documents: list[dict], deadline: float = 120) -> tuple[int, float]:
    """Add and commit, again and again while shards elect new leaders; returns (attempts, seconds)."""
    started = time.monotonic()
    for attempt in range(1, 100_000):
        try:
            index_documents(urls[attempt % len(urls)], documents)
            return attempt, time.monotonic() - started
        except (solr_http.SolrError, urllib.error.URLError, TimeoutError):
            if time.monotonic() - started > deadline:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def leading_node(url: str) -> tuple[str, int]:
    """The base URL of the node that leads the most shards of the alias's collection, and how many."""
    leaders = Counter(replica.base_url for replica in cluster_state(url).replicas(ALIAS) if replica.leader)
    return leaders.most_common(1)[0]


def _timed(step) -> float:
    started = time.monotonic()
    step()
    return time.monotonic() - started


def main() -> int:
    urls = [url for url in os.environ.get("NEWSDESK_SEARCH_URL", "").split(",") if url]
    command = os.environ.get("NEWSDESK_SOLR_CONTROL")
    if not urls or not command:
        print("needs a SolrCloud: run under scripts/with-solr", file=sys.stderr)
        return 2

    def control(*args: str) -> None:
        subprocess.run(shlex.split(command) + list(args), check=True, capture_output=True)

    delete_sample_documents(urls[0])
    index_documents(urls[0], [sample_document(number) for number in range(40)])
    victim, led = leading_node(urls[0])
    node = str(urls.index(victim) + 1)
    survivors = [url for url in urls if url != victim]

    control("kill", node)
    killed = time.monotonic()
    answers = []
    for url in survivors * 5:
        started = time.monotonic()
        answers.append((len(ids(url)), time.monotonic() - started))
    print(f"kill -9 node {node} ({victim}), leader of {led} shard(s)")
    print(
        f"  {len(answers)} searches right after: {sum(found == 40 for found, _ in answers)} found all 40 documents, "
        f"slowest {max(seconds for _, seconds in answers) * 1000:.0f} ms"
    )
    attempts, _ = write_until_accepted(survivors, [sample_document(number) for number in range(40, 50)])
    print(f"  a 10-document write + commit accepted {time.monotonic() - killed:.1f} s after the kill (attempt {attempts})")
    print(f"  start {node} until its replicas recovered: {_timed(lambda: control('start', node)):.1f} s; "
          f"it then finds {len(ids(victim))} of 50")

    print(f"stop-all: {_timed(lambda: control('stop-all')):.1f} s")
    refusals = []
    for url in urls:
        started = time.monotonic()
        try:
            solr_http.get(url, "admin/info/system", timeout=5)
            refusals.append("answered!")
        except urllib.error.URLError as error:
            refusals.append(f"{type(error.reason).__name__} in {(time.monotonic() - started) * 1000:.1f} ms")
    print(f"  requests while stopped: {', '.join(refusals)}")
    print(f"start-all until every replica is active: {_timed(lambda: control('start-all')):.1f} s; "
          f"nodes find {[len(ids(url)) for url in urls]} of 50")
    delete_sample_documents(urls[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
