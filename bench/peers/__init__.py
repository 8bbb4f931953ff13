"""Peers: other search engines computing the same page in-process, over the same articles.

Each peer module has a Peer class (base.PeerBase) with `name`, `about` (what it computes, for
the report), `build(app_db, work) -> dict`, `open() -> session`, `cannot(spec) -> reason | None`,
`live_pids()` (a server's processes, whose CPU is not noise) and `close()`. A session has
page(spec) -> Page, suggest(words), export(spec) -> rows, months(spec) -> (count, {month: n})
and close(). What a query asks of a peer is its Spec (peers/spec.py); a query without one
(the article page) or one the peer cannot express is n/a, with the reason.
"""

import statistics
import time

from load import least_noisy, log, timed

from .spec import Spec, spec_for

PEER_NAMES = ("fts5", "postgres", "tantivy")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def compute(session, spec: Spec) -> int:
    """Compute the query's page (or export, or comparison) once; return its hit count."""
    if spec.op == "export":
        return session.export(spec)
    if spec.op == "compare":
        return [session.months(series)[0] for series in spec.series][0]
    page = session.page(spec)
    if page.count == 0 and spec.words:
        page.suggestion = session.suggest(spec.words)
    return page.count


def make_peers(names) -> list:
    from . import fts5, postgres, tantivy

    modules = {"fts5": fts5, "postgres": postgres, "tantivy": tantivy}
    return [modules[name].Peer() for name in names]


def measure_peer(peer, queries: list[dict], repeats: int) -> dict[str, dict]:
    """Per query: cold = the first run on a new session, warm = p50/p95 of repeats; or n/a with a reason."""
    results = {}
    for query in queries:
        spec = spec_for(query)
        reason = "no equivalent (a database page, not a search)" if spec is None else peer.cannot(spec)
        if reason:
            results[query["name"]] = {"na": reason}
            continue
        count = query.get("repeats", repeats)

        def measure():
            session = peer.open()
            try:
                cold, hits = timed(compute, session, spec)
                warm, cpu = [], []
                for _ in range(count):
                    started = time.process_time()
                    warm.append(timed(compute, session, spec)[0])
                    cpu.append(time.process_time() - started)
            finally:
                session.close()
            return cold, hits, warm, cpu

        (cold, hits, warm, cpu), others = least_noisy(measure, peer.live_pids, f"{peer.name} {query['name']}")
        # cpu_all: this process's CPU time per warm run, the steadier figure on a busy machine; all of a
        # peer's work only when it runs in process (no live_pids), else the client side alone.
        results[query["name"]] = {"cold": cold, "p50": statistics.median(warm), "p95": percentile(warm, 95),
                                  "warm_all": warm, "cpu_all": cpu, "count": hits, "others_cores": others}
        log(f"  {peer.name:<10} {query['name']:<40} p50 {statistics.median(warm) * 1000:8.1f} ms  "
            f"hits {hits}  (others {others:.2f} cores)")
    return results
