"""Ingest and rebuild speed on a copy of an archive: articles/s end to end, store and index apart, docs/s of a rebuild.

    .venv/bin/python bench/ingest_speed.py --archive bench/var/10k                       # 500 new articles
    .venv/bin/python bench/ingest_speed.py --archive bench/var/10k --articles 2000 --rebuild
    .venv/bin/python bench/ingest_speed.py --archive bench/var/10k --app-ref main         # the same on main

--archive is a directory holding data/ (a SQLite database and its Whoosh index, as bench/run.py
builds bench/var/10k); it is copied to bench/var/ingest-speed/ and never changed. N articles are
generated (bench/generate.py, --seed 123 by default: not the archive's own seed, so they are new)
and ingested with `manage.py ingest DIR`, the command as an operator runs it:
- ingest: the whole command, wall time (the target of issue 18 is >= 50 articles/s on a quiet machine);
- store: until its last per-file line (read, extract, store; the index is written alongside);
- index after: from that line to the end (the rest of the index queue);
- index alone: the same N articles queued again and written to the index in one drain, in one process;
- rebuild (--rebuild): `manage.py index_rebuild` of the whole copy, docs/s (target: 100k in <= 10 min).
Each figure carries the CPU seconds of the command's processes (steadier than wall time on a shared
machine) and the cores other processes used meanwhile (load.py); --wait-quiet S waits up to S
seconds for the machine to go idle before each phase. Each run's figures are kept in
bench/var/ingest-speed/results-APP-N.json (APP: worktree or the --app-ref; N: the articles after
ingest); --project N [--app-ref REF] fits the rebuilds of the two largest archives measured (at least linear, as projection.py does) and
projects a rebuild of N articles, in wall time and in CPU time, without measuring anything:

    .venv/bin/python bench/ingest_speed.py --project 100000
"""

import argparse
import json
import math
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from app import VAR, app_env, prepare_app  # noqa: E402
from build import timed_ingest  # noqa: E402
from load import QUIET, Watch, log  # noqa: E402

WORK = VAR / "ingest-speed"

# Run inside the copy with `manage.py shell`: queue the newest articles again and write them to the index.
INDEX_ALONE = """
import json, time
from articles.models import Article
from articles.search.indexing import index_drain, index_enqueue, index_writes_deferred
ids = list(Article.objects.order_by("-id").values_list("id", flat=True)[:{count}])
with index_writes_deferred():  # queued only: drained below
    index_enqueue(ids)
wall, cpu = time.perf_counter(), time.process_time()
done = index_drain()
print(json.dumps({{"articles": done, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}}))
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, help="a directory holding data/ (copied, not changed)")
    parser.add_argument("--articles", type=int, default=500, help="new articles to ingest (default 500)")
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--rebuild", action="store_true", help="also time index_rebuild of the whole copy")
    parser.add_argument("--app-ref", help="measure this commit (git archive) instead of the working tree")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="S",
                        help="wait up to S seconds for an idle machine before each phase")
    parser.add_argument("--project", type=int, metavar="N", help="project a rebuild of N articles from those measured")
    args = parser.parse_args(argv)
    label = "".join(char if char.isalnum() else "-" for char in args.app_ref) if args.app_ref else "worktree"
    if args.project:
        return print_projection(args.project, label)
    if not args.archive:
        parser.error("--archive is required (or --project N)")
    QUIET["limit_s"] = args.wait_quiet
    source = args.archive / "data"
    if not (source / "newsdesk.sqlite3").exists():
        raise SystemExit(f"{source} holds no newsdesk.sqlite3: --archive takes a directory with data/ inside")
    app = prepare_app(args.app_ref)
    report = measure(app, source, args)
    total = report["archive_articles"] + report["articles"]
    (WORK / f"results-{label}-{total}.json").write_text(json.dumps(report, indent=2, default=str))
    print_report(report)


def measure(app, source: Path, args) -> dict:
    data, articles = WORK / "data", WORK / f"articles-{args.articles}-seed{args.seed}"
    if not articles.exists():
        generate.generate(args.articles, articles, args.seed)
    shutil.rmtree(data, ignore_errors=True)
    log(f"copying {source} to {data}")
    shutil.copytree(source, data, symlinks=True)
    env = app_env(data)
    app.manage(env, "migrate", "--noinput")
    before = count_articles(app, env)
    load = {}
    report = {"app": app.description, "archive": str(args.archive), "archive_articles": before,
              "articles": args.articles, "seed": args.seed, "load": load,
              "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "command": " ".join(sys.argv)}

    log(f"ingest {args.articles} articles into {before:,}")
    with Watch(load, "ingest"):
        report["ingest"] = timed_ingest(app, env, articles, WORK / "ingest.log")
    if report["ingest"]["counts"]["ingested"] != args.articles:
        raise SystemExit(f"expected {args.articles} new articles, got {report['ingest']['counts']}: see {WORK / 'ingest.log'}")

    log("index alone: the same articles queued again, one drain")
    with Watch(load, "index_alone"):
        output = app.manage(env, "shell", "-v", "0", "-c", INDEX_ALONE.format(count=args.articles)).stdout
    report["index_alone"] = json.loads(output.strip().splitlines()[-1])

    if args.rebuild:
        total = before + args.articles
        log(f"index_rebuild of {total:,} articles")
        with Watch(load, "rebuild"):
            started = time.perf_counter()
            output = app.manage(env, "index_rebuild").stdout
            report["rebuild"] = {"articles": total, "wall_s": time.perf_counter() - started, "output": output.strip()}
    return report


def count_articles(app, env) -> int:
    code = "from articles.models import Article; print(Article.objects.count())"
    return int(app.manage(env, "shell", "-v", "0", "-c", code).stdout.strip().splitlines()[-1])


def print_report(report: dict) -> None:
    n, load, ingest = report["articles"], report["load"], report["ingest"]

    def busy(phase: str) -> str:
        figures = load[phase]
        return f"CPU {figures['own_cpu_s']:.1f} s · other processes {figures['others_cores']:.2f} cores, load {figures['load1_end']:.1f}"

    print(f"{report['app']}; {n} new articles (seed {report['seed']}) into a copy of {report['archive']} "
          f"({report['archive_articles']:,} articles), {report['measured']}")
    print(f"ingest      {ingest['total_s']:6.1f} s = {n / ingest['total_s']:6.1f} articles/s end to end  "
          f"({busy('ingest')}; {1000 * load['ingest']['own_cpu_s'] / n:.1f} ms CPU per article)")
    print(f"  store     {ingest['store_s']:6.1f} s = {n / ingest['store_s']:6.1f} articles/s (read, extract, store; indexed alongside)")
    print(f"  index     {ingest['index_s']:6.1f} s after the last file (the rest of the index queue)")
    alone = report["index_alone"]
    print(f"index alone {alone['wall_s']:6.1f} s = {alone['articles'] / alone['wall_s']:6.1f} articles/s, "
          f"CPU {alone['cpu_s']:.1f} s ({1000 * alone['cpu_s'] / alone['articles']:.1f} ms per article; "
          f"other processes {load['index_alone']['others_cores']:.2f} cores)")
    if rebuild := report.get("rebuild"):
        print(f"rebuild     {rebuild['wall_s']:6.1f} s = {rebuild['articles'] / rebuild['wall_s']:6.1f} docs/s "
              f"({rebuild['articles']:,} articles; {busy('rebuild')}; "
              f"{1000 * load['rebuild']['own_cpu_s'] / rebuild['articles']:.1f} ms CPU per article)")
    print(f"command: {report['command']}")


def print_projection(n: int, label: str) -> None:
    """A rebuild of n articles from the two largest measured: t(n) = t(last) * (n / last) ** e, e >= 1."""
    measured = sorted((json.loads(path.read_text()) for path in WORK.glob(f"results-{label}-*.json")),
                      key=lambda report: report.get("rebuild", {}).get("articles", 0))
    rebuilds = [report for report in measured if "rebuild" in report][-2:]
    if len(rebuilds) < 2:
        raise SystemExit(f"--project needs rebuilds of two archive sizes in {WORK} (run with --rebuild)")
    (small, large), sizes = rebuilds, [report["rebuild"]["articles"] for report in rebuilds]
    for report in rebuilds:
        rebuild, load = report["rebuild"], report["load"]["rebuild"]
        print(f"measured: {rebuild['articles']:,} articles in {rebuild['wall_s']:.1f} s wall, CPU {load['own_cpu_s']:.1f} s "
              f"(other processes {load['others_cores']:.2f} cores; {report['app']}, {report['measured']})")
    for label, of in (("wall", lambda report: report["rebuild"]["wall_s"]),
                      ("CPU", lambda report: report["load"]["rebuild"]["own_cpu_s"])):
        exponent = max(1.0, math.log(of(large) / of(small)) / math.log(sizes[1] / sizes[0]))
        seconds = of(large) * (n / sizes[1]) ** exponent
        rate = f"{n / seconds:.0f} docs/s" if label == "wall" else "CPU seconds of all its processes"
        print(f"projected {label}: {n:,} articles in {seconds:.0f} s ({seconds / 60:.1f} min, {rate}; "
              f"growth exponent {exponent:.2f} from {sizes[0]:,} -> {sizes[1]:,})")


if __name__ == "__main__":
    main()
