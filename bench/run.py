"""Benchmark Newsdesk end to end, beside peers computing the same pages; print a markdown
report and write bench/RESULTS.md.

    .venv/bin/python bench/run.py --sizes 10000 --app-ref main --wait-quiet 60   # the recorded run
    .venv/bin/python bench/run.py --quick                  # 2,000 articles, 5 repeats, 1 cold start, bench/var/quick.md
    .venv/bin/python bench/run.py --quick --engine solr    # the same, then the same mix on SolrCloud

For each size N, in a throwaway data dir bench/var/<N>/ (SQLite db + search index):
generate N articles (bench/generate.py), `manage.py ingest` them (timed; ingest also indexes),
rebuild the index (bench/build.py); build each peer over the same articles and time the
query mix of bench/queries.json in process (bench/peers/: SQLite FTS5, PostgreSQL full-text
search, tantivy); then serve the app with gunicorn (2 workers, loopback) and time the same mix
over HTTP, cold and warm (bench/serve.py); with --engine solr, the same mix again with the app on a
three-node SolrCloud (bench/engines.py). The report (bench/report/) gives p50/p95 per kind
and per query, the ratios to each peer, the targets of issue 18, and the machine's busyness
beside every figure. A size is skipped when the sizes already run project it past --max-minutes.
"""

import argparse
import datetime
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from app import ENGINE, ENGINES, VAR, App, Engine, app_env, prepare_app, server_engine  # noqa: E402
from build import adopt_build, build_size, measure_rebuild, size_label  # noqa: E402
from engines import measure_engine, run_under_cluster  # noqa: E402
from load import NOISY_CORES, QUIET, Watch, log, timed  # noqa: E402
from mix import load_queries, resolve_placeholders  # noqa: E402
from projection import projection  # noqa: E402
from report import render  # noqa: E402
from report.machine import machine  # noqa: E402
from serve import COLD_STARTS, WORKERS, Gunicorn, http_measure  # noqa: E402

ATTEMPTS = 3
PREFIX = [""]  # "quick-" with --quick: keeps the recorded run's sizes intact
COMMAND = [""]  # this run's command line, for the report
PEER_NAMES = ("fts5", "postgres", "tantivy")


def require_packages(requirements: Path) -> None:
    """Install a requirements file into this Python when one of its exact pins is not what is installed.

    The app under test runs with this Python: a commit measured with --app-ref may pin other
    packages than the working tree's venv has; bench/requirements.txt pins the peers' packages.
    """
    import re
    from importlib.metadata import PackageNotFoundError, version

    for line in requirements.read_text().splitlines():
        pin = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)\s*(?:#.*)?", line)
        if not pin:
            continue
        try:
            if version(pin.group(1)) == pin.group(2):
                continue
        except PackageNotFoundError:
            pass
        log(f"installing {requirements} into {sys.executable} ({pin.group(1)}=={pin.group(2)} is missing)")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(requirements)], check=True)
        return


def run_size(app: App, n: int, seed: int, repeats: int, peer_names, reuse: bool = False, rebuild: bool = False,
             engines: tuple[Engine, ...] = (), adopt: Path | None = None) -> dict:
    label = size_label(n)
    work = VAR / f"{PREFIX[0]}{label}"
    data, articles = work / "data", work / "articles"
    app_db = data / "newsdesk.sqlite3"
    saved = VAR / f"results-{PREFIX[0]}{label}.json"
    if reuse and saved.exists() and app_db.exists():
        result = json.loads(saved.read_text())
        log(f"{label}: reusing the articles, database and index built at {result.get('built', '?')}")
        result["built_by"] = result.get("built_by") or result.get("app", "?")
        if not result["built_by"].startswith(app.description.split(" (")[0]):
            # Another commit's build: its ingest and rebuild figures are that commit's; the
            # pages are measured with this one (after its migrations).
            log(f"{label}: build made by {result['built_by']}; migrating it for {app.description}")
            app.manage(app_env(data), "migrate", "--noinput")
            app.manage(app_env(data), "collectstatic", "--noinput", "--verbosity", "0")
        result["app"] = app.description
        result["reused_build"] = True
        if rebuild:
            measure_rebuild(app, app_env(data), data, result)
            result["rebuilt_by"] = app.description
        for stale in ("fts", "fts_bytes", "peers", "engines"):
            result.pop(stale, None)
        for phase in ("fts_build", "fts_queries", "http"):
            result["phases_s"].pop(phase, None)
    else:
        if adopt:
            result = adopt_build(app, n, seed, work, adopt, COMMAND[0])
        else:
            result = build_size(app, n, seed, work, data, articles, COMMAND[0])
        # Kept at once: a run stopped while measuring resumes with --reuse, without building again.
        saved.write_text(json.dumps(result, indent=1, default=str))
    result["repeats"], result["command"] = repeats, COMMAND[0]
    phases, load = result["phases_s"], result.setdefault("load", {})
    values = resolve_placeholders(app_db)
    queries = load_queries(values)
    result["placeholders"], result["queries"] = values, queries

    from peers import make_peers, measure_peer

    result["peers"] = {}
    for key, peer in zip(peer_names, make_peers(peer_names)):
        try:
            log(f"{label}: {peer.name}: build")
            with Watch(load, f"{key}_build", peer.live_pids):
                build = peer.build(app_db, work)
            phases[f"{key}_build"] = build["seconds"]
            log(f"{label}: {peer.name}: queries")
            with Watch(load, f"{key}_queries", peer.live_pids):
                phases[f"{key}_queries"], measured = timed(measure_peer, peer, queries, repeats)
        finally:
            peer.close()
        result["peers"][key] = {"name": peer.name, "about": peer.about, "build": build, "queries": measured}

    log(f"{label}: HTTP, gunicorn with {WORKERS} workers")
    server = Gunicorn(app, data, work / "gunicorn.log")
    with Watch(load, "http"):
        phases["http"], (result["http"], result["memory"], result["http_floor"]) = timed(http_measure, server, queries, repeats)
    result["engines"] = {engine.name: measure_engine(app, engine, data, work, queries, repeats, load) for engine in engines}
    result["measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    saved.write_text(json.dumps(result, indent=1, default=str))
    return result


def sizes_given(argv) -> bool:
    return any(arg.startswith("--sizes") for arg in (sys.argv[1:] if argv is None else argv))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2,000 articles, 5 repeats, 1 cold start per query, in bench/var/quick-2k/, report to bench/var/quick.md")
    parser.add_argument("--app-ref", help="measure this git commit (exported under bench/var/) instead of the working tree")
    parser.add_argument("--max-minutes", type=float, default=60, help="skip a size projected to take longer")
    parser.add_argument("--out", type=Path, help="markdown report (default bench/RESULTS.md)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each measured phase, wait up to this long for other processes to go idle")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS,
                        help=f"measure again while other processes use ≥ {NOISY_CORES} cores, at most this often (default {ATTEMPTS})")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a size's articles, database and index from an earlier run (and its build figures); "
                             "re-measure only the peers and HTTP")
    parser.add_argument("--cold-starts", type=int,
                        help=f"fresh gunicorns per query for its cold p50 (default {COLD_STARTS[0]}; 1 with --quick)")
    parser.add_argument("--report", action="store_true",
                        help="measure nothing: write the report again from bench/var/results.json, or with --sizes from "
                             "the last run of each size (bench/var/results-10k.json, ...)")
    parser.add_argument("--adopt", type=Path, metavar="DIR",
                        help="one size: instead of building it, measure an archive built outside this run (DIR holds "
                             "data/ and the articles/ bench/generate.py wrote with --seed); its ingest and rebuild "
                             "are measured on a copy, with 2,000 new articles")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --reuse: also rebuild the kept index with the app measured, and time it")
    parser.add_argument("--peers", nargs="*", choices=PEER_NAMES, default=list(PEER_NAMES),
                        help="the peers to measure beside Newsdesk (default: all)")
    parser.add_argument("--engine", choices=[name for name in ENGINES if name != "whoosh"],
                        help="also serve the same mix with the app on this engine (solr: a three-node SolrCloud "
                             "from scripts/with-solr) and report it beside Whoosh")
    args = parser.parse_args(argv)
    if args.engine and not args.report:
        run_under_cluster(sys.argv if argv is None else [sys.argv[0], *argv])
    # Stopped with SIGTERM: unwind, so that a peer's server and gunicorn are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.quick:
        args.sizes, args.repeats, args.out = [2000], 5, args.out or VAR / "quick.md"
        args.cold_starts = args.cold_starts or 1
        PREFIX[0] = "quick-"  # bench/var/quick-2k/: keeps the recorded run's sizes intact
    out = args.out or BENCH / "RESULTS.md"
    QUIET["limit_s"] = args.wait_quiet
    QUIET["attempts"] = max(1, args.attempts)
    COLD_STARTS[0] = max(1, args.cold_starts or COLD_STARTS[0])
    VAR.mkdir(exist_ok=True)
    if args.report:
        results_json = VAR / f"{PREFIX[0]}results.json"
        saved = json.loads(results_json.read_text())
        if sizes_given(argv):
            # Sizes measured by separate runs, in one report: each with the command that measured it.
            saved["results"] = [json.loads((VAR / f"results-{PREFIX[0]}{size_label(n)}.json").read_text())
                                for n in sorted(args.sizes)]
            saved["skipped"] = []
            saved["info"]["command"] = "; ".join(dict.fromkeys(r.get("command", "?") for r in saved["results"]))
            saved["info"]["app"] = "; ".join(dict.fromkeys(r["app"] for r in saved["results"]))
            saved["info"]["date"] = max((r["measured"] for r in saved["results"] if r.get("measured")), default=saved["info"]["date"])
        COLD_STARTS[0] = saved["info"].get("cold_starts", COLD_STARTS[0])
        out.write_text(render(saved["results"], saved["skipped"], saved["info"]))
        sources = [f"results-{PREFIX[0]}{size_label(n)}.json" for n in sorted(args.sizes)] if sizes_given(argv) else [results_json.name]
        log(f"wrote {out} from {', '.join(sources)} in {VAR}")
        return
    if args.adopt and len(args.sizes) != 1:
        parser.error("--adopt DIR measures one size: give --sizes N (the articles DIR holds)")
    command = COMMAND[0] = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    require_packages(BENCH / "requirements.txt")
    engines = (server_engine(args.engine),) if args.engine else ()
    app = prepare_app(args.app_ref, require_packages)
    log(f"measuring {app.description} in {app.dir}")
    results, skipped = [], []
    for n in sorted(args.sizes):
        if results and n > results[-1]["n"]:
            p = projection(results, n)
            if p["total_s"] > args.max_minutes * 60:
                log(f"{size_label(n)}: skipped, projected {p['total_s'] / 60:.0f} min > {args.max_minutes:g} min")
                skipped.append({"n": n, "projection": p, "limit_min": args.max_minutes})
                continue
        results.append(run_size(app, n, args.seed, args.repeats, args.peers, args.reuse, args.rebuild, engines, args.adopt))
    info = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command, "app": app.description, "engine": ENGINE[0].label + "".join(f"; {e.label} beside it" for e in engines), "machine": machine(),
            "cold_starts": COLD_STARTS[0]}
    report = render(results, skipped, info)
    print(report)
    out.write_text(report)
    (VAR / f"{PREFIX[0]}results.json").write_text(json.dumps({"info": info, "results": results, "skipped": skipped}, indent=1, default=str))
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
