"""Time each page of the query mix in-process (Django's test client, no HTTP), with how busy the machine was.

    .venv/bin/python bench/page_times.py bench/var/10k                       # every query, 9 warm repeats
    .venv/bin/python bench/page_times.py bench/var/10k --only misspelt --repeat 21
    .venv/bin/python bench/page_times.py bench/var/10k --profile "rare word"  # cProfile of one query, warm
    .venv/bin/python bench/page_times.py bench/var/10k --app /tmp/app-main      # another checkout of the app
    .venv/bin/python bench/page_times.py bench/var/10k --peer fts5              # and FTS5 on the same mix, per kind

A quick loop for one developer's change, between full runs of bench/run.py: the data dir is
one bench/run.py (or generate.py + ingest) built. "first" is the query's first request in
this process (searcher, columns and templates already loaded by the warm-up); p50/p95 are
over --repeat further requests, cpu50 the p50 of this process's CPU time per request (steadier
than wall time on a busy machine). "others" is how many cores other processes used meanwhile
(from /proc/stat, less this process's own CPU time): on a shared machine, compare runs
with similar figures. With --peer, the peer's cpu50 too when it works in this process (FTS5,
tantivy) and "cpu ratio", Newsdesk's cpu50 over the peer's. The mix is bench/queries.json
(with its placeholders filled from the database by bench/mix.py, or bench/run.py before the
mix had kinds).
"""

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (/proc/stat: all but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Watch:
    """Wall time of a block, this process's CPU time in it, and the cores other processes used during it."""

    def __enter__(self):
        self.wall, self.busy, self.own = time.perf_counter(), busy_seconds(), own_seconds()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = own_seconds() - self.own
        others = busy_seconds() - self.busy - self.cpu
        self.others = max(0.0, others / self.wall) if self.wall > 0 else 0.0


def load_mix(data_dir: Path, mix_dir: Path) -> list[dict]:
    sys.path.insert(0, str(mix_dir))
    db = data_dir / "newsdesk.sqlite3"
    try:
        import mix  # bench/mix.py: the mix with kinds
    except ImportError:
        import run  # before it: bench/run.py read the mix

        return [{**query, "kind": query["name"]} for query in run.load_queries(run.resolve_placeholders(db))]
    return mix.load_queries(mix.resolve_placeholders(db))


def setup_django(data_dir: Path, app: Path) -> None:
    os.environ.update(NEWSDESK_DATA_DIR=str(data_dir), SECRET_KEY="bench-only-not-secret",
                      DJANGO_SETTINGS_MODULE="newsdesk.settings")
    for key in [key for key in os.environ if key.startswith("NEWSDESK_") and key != "NEWSDESK_DATA_DIR"]:
        del os.environ[key]
    os.chdir(app)
    sys.path.insert(0, str(app))
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path, help="a size's directory, e.g. bench/var/10k (its data/ is used)")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--only", help="queries whose name or kind contains this")
    parser.add_argument("--skip", default="", help="comma-separated: leave out queries whose name or kind contains one")
    parser.add_argument("--profile", metavar="NAME", help="print a cProfile of the first query whose name contains NAME")
    parser.add_argument("--app", type=Path, default=ROOT, help="the app's directory (default: this checkout)")
    parser.add_argument("--mix-dir", type=Path, default=BENCH, help="where queries.json and mix.py are (default: bench/)")
    parser.add_argument("--peer", choices=("fts5", "postgres", "tantivy"),
                        help="also build this peer (bench/peers/) in the workdir and time it on the same queries")
    args = parser.parse_args()
    data_dir = (args.workdir / "data").resolve()
    queries = load_mix(data_dir, args.mix_dir.resolve())
    setup_django(data_dir, args.app.resolve())
    from django.test import Client

    from articles.warmup import warm_up

    warm_up()  # what a gunicorn worker does before its first request
    client = Client(HTTP_HOST="127.0.0.1")
    if args.profile:
        query = next(query for query in queries if args.profile in query["name"])
        client.get(query["url"])
        profile = cProfile.Profile()
        with Watch() as watch:
            profile.enable()
            client.get(query["url"])
            profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(r"articles/|newsdesk/|templates|sqlite3/base|query.py:.*(_fetch_all|__iter__)", 40)
        stats.sort_stats("tottime").print_stats(25)
        print(f"{query['name']} {query['url']}: {watch.wall * 1000:.1f} ms under cProfile (others {watch.others:.2f} cores)")
        print(out.getvalue()[out.getvalue().find("ncalls"):])
        return
    queries = [query for query in queries if chosen(query, args.only, args.skip)]
    print(f"{'query':<42} {'kind':<24} {'first':>7} {'p50':>7} {'p95':>7} {'cpu50':>7}  others  status")
    by_kind: dict[str, list[float]] = {}
    cpu_by_kind: dict[str, list[float]] = {}
    for query in queries:
        if query.get("repeats"):  # long exports: once
            repeat = 1
        else:
            repeat = args.repeat
        with Watch() as first:
            response = client.get(query["url"])
            if response.streaming:
                b"".join(response.streaming_content)
        warm, cpu, others = [], [], []
        for _ in range(repeat):
            with Watch() as watch:
                response = client.get(query["url"])
                if response.streaming:
                    b"".join(response.streaming_content)
            warm.append(watch.wall)
            cpu.append(watch.cpu)
            others.append(watch.others)
        by_kind.setdefault(query["kind"], []).extend(warm)
        cpu_by_kind.setdefault(query["kind"], []).extend(cpu)
        print(f"{query['name'][:42]:<42} {query['kind'][:24]:<24} {first.wall * 1000:7.1f} "
              f"{statistics.median(warm) * 1000:7.1f} {percentile(warm, 95) * 1000:7.1f} {statistics.median(cpu) * 1000:7.1f}"
              f"  {statistics.mean(others):5.2f}"
              f"   {response.status_code}")
    peer_by_kind, peer_cpu_by_kind = peer_times(args.peer, args.workdir, queries, args.repeat) if args.peer else ({}, {})
    peer_columns = f" {args.peer + ' p50':>9} {'p95':>7} {'ratio':>6} {'cpu50':>7} {'cpu ratio':>9}" if args.peer else ""
    print(f"\n{'kind':<28} {'p50':>7} {'p95':>7} {'cpu50':>7}{peer_columns}  (warm, pooled over the kind's queries)")
    for kind, values in by_kind.items():
        line = (f"{kind[:28]:<28} {statistics.median(values) * 1000:7.1f} {percentile(values, 95) * 1000:7.1f}"
                f" {statistics.median(cpu_by_kind[kind]) * 1000:7.1f}")
        if peer := peer_by_kind.get(kind):
            line += (f" {statistics.median(peer) * 1000:9.1f} {percentile(peer, 95) * 1000:7.1f}"
                     f" {statistics.median(values) / statistics.median(peer):5.1f}×")
            if peer_cpu := peer_cpu_by_kind.get(kind):
                line += (f" {statistics.median(peer_cpu) * 1000:7.1f}"
                         f" {statistics.median(cpu_by_kind[kind]) / max(statistics.median(peer_cpu), 1e-6):8.1f}×")
        elif args.peer:
            line += f" {'n/a':>9}"
        print(line)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def chosen(query: dict, only: str | None, skip: str) -> bool:
    if only and only not in query["name"] and only not in query["kind"]:
        return False
    return not any(word and (word in query["name"] or word in query["kind"]) for word in skip.split(","))


def peer_times(name: str, workdir: Path, queries: list[dict], repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """A peer's warm times per kind on the same queries (bench/peers/: built over the same database), and its CPU times.

    CPU times only for a peer that works in this process (FTS5, tantivy): a server's work is elsewhere.
    """
    sys.path.insert(0, str(BENCH))
    import importlib

    import load
    from peers import measure_peer

    load.QUIET["attempts"] = 1  # measured once, like the app's queries here; "others" says how busy it was

    # The one peer's module only (make_peers imports all three; tantivy may not be installed).
    peer = importlib.import_module(f"peers.{name}").Peer()
    try:
        with Watch() as build:
            peer.build(workdir.resolve() / "data" / "newsdesk.sqlite3", workdir.resolve())
        print(f"\n{name}: built in {build.wall:.1f} s", flush=True)
        measured = measure_peer(peer, queries, repeat)
        in_process = not peer.live_pids()
    finally:
        peer.close()
    by_kind: dict[str, list[float]] = {}
    cpu_by_kind: dict[str, list[float]] = {}
    for query in queries:
        if "warm_all" in measured.get(query["name"], {}):
            by_kind.setdefault(query["kind"], []).extend(measured[query["name"]]["warm_all"])
            if in_process:
                cpu_by_kind.setdefault(query["kind"], []).extend(measured[query["name"]]["cpu_all"])
    return by_kind, cpu_by_kind


if __name__ == "__main__":
    main()
