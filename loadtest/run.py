"""Load-test Newsdesk: 32 clients searching while an editor writes; then the index must match the database.

    .venv/bin/python loadtest/run.py                                   # 10,000 articles, 32 clients, 60 s
    .venv/bin/python loadtest/run.py --articles 2000 --seconds 20      # a quick look

1. A data dir loadtest/var/<N>/base/ holding N synthetic articles (bench/generate.py, seed 1),
   migrated, ingested, with a superuser; prepared once and reused. Each run works on a fresh
   copy of it (loadtest/var/<N>/run/), so runs start from the same archive.
2. gunicorn (newsdesk/gunicorn.conf.py, 4 workers, access log off) on a free loopback port.
3. locust, headless, --clients users with no think time, choosing among the URL mix that
   loadtest/mix.py resolves from the database (searches, filters, JSON, CSV, article, actor
   and topic pages), for --seconds; every request is recorded (loadtest/locustfile.py).
4. Meanwhile loadtest/editor.py logs in to /admin/ and adds, edits and deletes articles.
5. Afterwards: every article the editor added is found by its unique word, every deleted one
   is not, every edit's text and actors are in the index, and `manage.py index_check` says
   "Index matches the database".
6. Prints the table, writes loadtest/RESULTS.md; exit 1 on any failed request, editor
   failure, missed check or index difference.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VAR = HERE / "var"
VENV = VAR / "venv"  # locust lives here, not in the app's .venv
PASSWORD = "loadtest-editor-password-5813"  # a throwaway account in a throwaway data dir
SEED = 1


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p99 of 1,000 values is the 990th smallest."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def app_env(data_dir: Path, **extra: str) -> dict:
    """Every app process: default settings over data_dir (SQLite + Whoosh), no private/HTTPS/debug mode."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NEWSDESK_", "GUNICORN_", "DJANGO_")) and key not in ("DATABASE_URL", "ALLOWED_HOSTS", "SECRET_KEY")}
    env.update(NEWSDESK_DATA_DIR=str(data_dir), SECRET_KEY="loadtest-only-not-secret", PYTHONUNBUFFERED="1", **extra)
    return env


def manage(env: dict, *args: str, check: bool = True, timeout: float = 3600) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result


def article_count(env: dict) -> int:
    code = "from articles.models import Article; print(Article.objects.count())"
    return int(manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


# --- 1. the data dir -----------------------------------------------------------------------

def prepare(n: int) -> Path:
    """Return loadtest/var/<N>/base, holding N ingested articles and a superuser; build it when needed."""
    root = VAR / str(n)
    base, articles, marker = root / "base", root / "articles", root / "base" / "prepared.json"
    env = app_env(base, DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    if marker.exists() and article_count(env) == n:
        log(f"reusing {base.relative_to(REPO)} ({n:,} articles, prepared {json.loads(marker.read_text())['date']})")
        return base
    started = time.monotonic()
    if len(list(articles.glob("*/*.txt"))) != n:
        shutil.rmtree(articles, ignore_errors=True)
        log(f"generating {n:,} articles into {articles.relative_to(REPO)} (bench/generate.py, seed {SEED})")
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(n), str(articles), "--seed", str(SEED)], check=True)
    base.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    created = manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org", check=False)
    if created.returncode != 0 and "already taken" not in created.stderr:
        raise SystemExit(f"createsuperuser failed:\n{created.stderr[-2000:]}")
    ingest(env, articles, n)
    check = manage(env, "index_check", check=False)
    if "Index matches the database" not in check.stdout:
        log(f"index_check after ingest: {check.stdout.strip()}; repairing")
        manage(env, "index_check", "--repair")
    count = article_count(env)
    if count != n:
        raise SystemExit(f"{base} holds {count} articles after ingest, not {n}")
    marker.write_text(json.dumps({"articles": n, "seed": SEED, "minutes": round((time.monotonic() - started) / 60, 1),
                                  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}))
    log(f"prepared {base.relative_to(REPO)} in {(time.monotonic() - started) / 60:.1f} min")
    return base


def ingest(env: dict, articles: Path, n: int) -> None:
    """Run `manage.py ingest DIR` (files already stored come back as duplicates), printing progress."""
    log(f"ingesting {n:,} files (~20 articles/s end to end on 2 cores: storing, then indexing)")
    started = time.monotonic()
    counts = {"ingested": 0, "duplicate": 0, "refused": 0}
    with open(articles.parent / "ingest.log", "w") as out:
        proc = subprocess.Popen([sys.executable, "manage.py", "ingest", str(articles)], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            for line in proc.stdout:
                out.write(line)
                status = line.split(" ", 1)[0]
                if status in counts:
                    counts[status] += 1
                    done = sum(counts.values())
                    if done % 500 == 0 or done == n:
                        rate = done / (time.monotonic() - started)
                        log(f"  stored {done:,}/{n:,} ({rate:.0f} files/s; {counts['duplicate']:,} already there)")
                        if done == n:
                            log("  indexing the new articles (the longer half)")
            returncode = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if returncode != 0 or counts["refused"]:
        raise SystemExit(f"ingest failed ({returncode}, {counts['refused']} refused); see {articles.parent / 'ingest.log'}")
    log(f"  ingest done in {(time.monotonic() - started) / 60:.1f} min")


def fresh_copy(base: Path) -> Path:
    """Copy base/ to run/ (the index dir may be a relative symlink to a generation dir: kept as one)."""
    run = base.parent / "run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(base, run, symlinks=True)
    return run


# --- 2. gunicorn ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(data_dir: Path, logs: Path, workers: int, port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    env = app_env(data_dir, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers), GUNICORN_ACCESSLOG="/dev/null")
    errors = open(logs / "gunicorn.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config", "newsdesk/gunicorn.conf.py"],
                            cwd=REPO, env=env, stdout=errors, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}); see {logs / 'gunicorn.log'}")
        try:
            urllib.request.urlopen(base + "/admin/login/", timeout=5)
        except urllib.error.HTTPError:
            break  # it answers
        except OSError:
            time.sleep(0.3)
            continue
        break
    else:
        stop(proc)
        raise SystemExit("gunicorn did not answer within 60 s")
    return proc, base


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process this script started: SIGTERM, then SIGKILL after timeout."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def warm_up(base: str, mix: dict) -> dict:
    """Request each kind's first URLs once, unmeasured (first-request costs are not load); then time
    three sequential requests per kind on an otherwise idle server: {kind: median ms}."""
    def fetch(url: str) -> float:
        started = time.perf_counter()
        try:
            urllib.request.urlopen(base + url, timeout=120).read()
        except OSError as error:
            log(f"  warm-up {url}: {error}")
        return (time.perf_counter() - started) * 1000

    for spec in mix["kinds"].values():
        for url in spec["urls"][:3]:
            fetch(url)
    return {kind: sorted(fetch(spec["urls"][i % len(spec["urls"])]) for i in range(3))[1] for kind, spec in mix["kinds"].items()}


# --- 3. locust, 4. the editor ---------------------------------------------------------------

def ensure_locust() -> Path:
    locust = VENV / "bin" / "locust"
    wanted = (HERE / "requirements.txt").read_text()
    stamp = VENV / ".requirements"
    if not locust.exists() or not stamp.exists() or stamp.read_text() != wanted:
        log(f"installing locust into {VENV.relative_to(REPO)} (loadtest/requirements.txt)")
        if not (VENV / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(HERE / "requirements.txt")], check=True)
        stamp.write_text(wanted)
    return locust


def run_load(base: str, args, mix_path: Path, logs: Path, editor_plan: Path) -> dict:
    """Start the editor, wait for its login, then locust and the editor's loop together; wait for both."""
    locust = ensure_locust()
    samples = logs / "requests.jsonl"
    editor_out = logs / "editor.json"
    editor = subprocess.Popen(
        [sys.executable, str(HERE / "editor.py"), "--base", base, "--password", PASSWORD, "--seconds", str(args.seconds),
         "--plan", str(editor_plan), "--out", str(editor_out)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(logs / "editor.log", "w"), text=True)
    load = None
    try:
        if editor.stdout.readline().strip() != "ready":
            raise SystemExit(f"the editor could not log in; see {logs / 'editor.log'}")
        env = {**os.environ, "LOADTEST_MIX": str(mix_path), "LOADTEST_SAMPLES": str(samples),
               "LOADTEST_TIMEOUT": str(args.timeout)}
        log(f"load: {args.clients} clients for {args.seconds} s; editor adding, editing and deleting through /admin/")
        started = time.monotonic()
        load = subprocess.Popen(
            [str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
             "--users", str(args.clients), "--spawn-rate", str(args.clients), "--run-time", f"{args.seconds}s",
             "--stop-timeout", "0", "--only-summary", "--csv", str(logs / "locust"), "--loglevel", "WARNING"],
            cwd=HERE, env=env, stdout=open(logs / "locust.log", "w"), stderr=subprocess.STDOUT)
        editor.stdin.write("go\n")
        editor.stdin.flush()
        load.wait(timeout=args.seconds + 120)  # bounded: locust stops itself at --run-time
        load_seconds = time.monotonic() - started
        log(f"load stopped after {load_seconds:.0f} s; waiting for the editor's last operation")
        editor.wait(timeout=300)
    finally:
        for proc in (load, editor):
            if proc is not None:
                stop(proc, timeout=10)
    if not editor_out.exists():
        raise SystemExit(f"the editor wrote no result; see {logs / 'editor.log'}")
    return {"samples": samples, "editor": json.loads(editor_out.read_text())}


# --- 5. checks afterwards -----------------------------------------------------------------------

def search_count(base: str, **params) -> int:
    url = f"{base}/search/?{urllib.parse.urlencode({**params, 'format': 'json'})}"
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)["count"]


def check_editor_work(base: str, editor: dict) -> list[dict]:
    """Each check: what it asks, what was expected, what came back."""
    checks = []

    def expect(label: str, expected: int, **params) -> None:
        try:
            got = search_count(base, **params)
        except OSError as error:
            got = f"error: {error}"
        checks.append({"label": label, "params": params, "expected": expected, "got": got, "ok": got == expected})

    deleted = {row["id"] for row in editor["deleted"]}
    for row in editor["added"]:
        if row["id"] not in deleted:
            expect(f"added article {row['id']} is found", 1, q=row["word"])
    for row in editor["deleted"]:
        expect(f"deleted article {row['id']} is gone", 0, q=row["word"])
    for row in editor["edited"]:
        if row["id"] in deleted:
            continue
        expect(f"edited article {row['id']}: new text is found", 1, q=row["word"])
        if row.get("actor_added"):
            expect(f"edited article {row['id']}: added actor is indexed", 1, q=row["word"], actor=row["actor_added"])
        if row.get("actor_removed"):
            expect(f"edited article {row['id']}: removed actor is gone", 0, q=row["word"], actor=row["actor_removed"])
    return checks


# --- 6. figures ------------------------------------------------------------------------------------

def summarise(samples_path: Path, kinds: list[str]) -> dict:
    rows = [json.loads(line) for line in samples_path.read_text().splitlines() if line.strip()] if samples_path.exists() else []
    out = {"all": stats(rows)}
    for kind in kinds:
        out[kind] = stats([row for row in rows if row["kind"] == kind])
    out["_failures"] = [row for row in rows if row["outcome"] != "ok"][:50]
    # The load's span: from the first request's start to the last answer (locust's spawn-up included).
    out["_seconds"] = max(row["t"] for row in rows) - min(row["t"] - row["ms"] / 1000 for row in rows) if rows else float("nan")
    return out


def stats(rows: list[dict]) -> dict:
    times = [row["ms"] for row in rows]
    outcomes = {key: sum(1 for row in rows if row["outcome"] == key) for key in ("ok", "http", "socket", "timeout", "body")}
    return {"requests": len(rows), "failures": len(rows) - outcomes["ok"], **outcomes,
            "p50": percentile(times, 50), "p90": percentile(times, 90), "p99": percentile(times, 99),
            "max": max(times) if times else float("nan")}


def versions() -> str:
    code = ("import sqlite3, importlib.metadata as m; "
            "print(', '.join(f'{name} {m.version(name)}' for name in ('Django', 'django-haystack', 'Whoosh', 'gunicorn'))"
            " + ', SQLite ' + sqlite3.sqlite_version)")
    app = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    locust = subprocess.run([str(VENV / "bin" / "locust"), "--version"], capture_output=True, text=True).stdout.strip().split(" from ")[0]
    return f"Python {platform.python_version()}, {app}, {locust}"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} CPUs ({cpu}), {mem:.1f} GiB RAM, {platform.system()} {platform.release()}"


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, CPU seconds of this script's processes: itself,
    its live descendants such as the gunicorn workers, and its finished children)."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    machine_busy = (sum(fields[:8]) - fields[3] - fields[4]) / tick
    parent, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        rest = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
        pid = int(stat.parent.name)
        parent[pid], cpu[pid] = int(rest[1]), (int(rest[11]) + int(rest[12])) / tick
    mine, frontier = set(), {os.getpid()}
    while frontier:
        mine |= frontier
        frontier = {pid for pid, ppid in parent.items() if ppid in frontier} - mine
    finished = resource.getrusage(resource.RUSAGE_CHILDREN)
    return machine_busy, sum(cpu.get(pid, 0.0) for pid in mine) + finished.ru_utime + finished.ru_stime


def ms(value: float) -> str:
    return "–" if value != value else f"{value:,.0f}"


def render(args, figures: dict, kinds: list[str], editor: dict, checks: list[dict], index_line: str,
           gunicorn_problems: list[str]) -> str:
    """The result as markdown: summary lines, the per-kind table, the editor's table, what failed."""
    total = figures["all"]
    seconds = figures["_seconds"] if total["requests"] else float("inf")
    rate = total["requests"] / seconds
    lines = [
        "| page kind | requests | req/s | failures | p50 ms | p90 ms | p99 ms | max ms | alone ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in kinds + ["all"]:
        row = figures[kind]
        label = "**all**" if kind == "all" else kind
        lines.append(f"| {label} | {row['requests']:,} | {row['requests'] / seconds:.1f} | {row['failures']} | "
                     f"{ms(row['p50'])} | {ms(row['p90'])} | {ms(row['p99'])} | {ms(row['max'])} | {ms(row.get('alone', float('nan')))} |")
    ops = editor["operations"]
    editor_lines = [
        "| editor operation | done | failed | p50 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for op in ("add", "edit", "delete"):
        row = ops[op]
        editor_lines.append(f"| {op} | {row['ok']} | {row['failed']} | {ms(row['p50_ms'])} | {ms(row['max_ms'])} |")
    failed_checks = [c for c in checks if not c["ok"]]
    summary = [
        f"- Requests: **{total['requests']:,}** in {seconds:.0f} s = **{rate:.1f} requests/s**; "
        f"failures: **{total['failures']}** (non-2xx/3xx {total['http']}, socket errors {total['socket']}, "
        f"timeouts over {args.timeout:g} s {total['timeout']}, unreadable body {total['body']}).",
        f"- Latency over all requests: p50 **{ms(total['p50'])} ms**, p90 {ms(total['p90'])} ms, p99 **{ms(total['p99'])} ms**. "
        f"With {args.clients} clients and no think time a request waits for one of {args.workers} busy workers: latency ≈ "
        f"clients / throughput = {args.clients / rate if rate else float('nan'):.1f} s here. *alone* is the median of three "
        "sequential requests of the kind on the idle server before the load.",
        f"- Editor: {ops['add']['ok']} added, {ops['edit']['ok']} edited (text and actors), {ops['delete']['ok']} deleted; "
        f"{sum(ops[o]['failed'] for o in ops)} failed operations, {editor['http_errors']} non-2xx/3xx admin responses "
        "(each operation is two admin requests, a form and its POST, that wait their turn with the readers' requests).",
        f"- After the load: {len(checks) - len(failed_checks)}/{len(checks)} searches for the editor's unique words "
        "gave what they should (added and edited found, with their new actors; deleted gone).",
        f"- `manage.py index_check`: `{index_line}`",
        f"- gunicorn log: {len(gunicorn_problems)} error lines" + (f" (first: `{gunicorn_problems[0][:160]}`)" if gunicorn_problems else "") + ".",
    ]
    detail = []
    if total["failures"]:
        detail += ["", "Failed requests (first 50):", ""] + [
            f"- {row['kind']}: `{row['url']}` → {row['outcome']} {row.get('status')} {row.get('error') or ''} ({row['ms']:.0f} ms)"
            for row in figures["_failures"]]
    if failed_checks:
        detail += ["", "Checks that failed:", ""] + [f"- {c['label']}: `{c['params']}` expected {c['expected']}, got {c['got']}" for c in failed_checks]
    if editor["failures"]:
        detail += ["", "Editor failures:", ""] + [f"- {f}" for f in editor["failures"][:30]]
    return "\n".join(summary + ["", *lines, "", *editor_lines, *detail])


def write_results(args, table: str, context: dict, archive: dict, mix: dict) -> None:
    full = args.articles == 10000 and args.clients == 32 and args.seconds == 60
    mix_lines = []
    for kind, spec in mix["kinds"].items():
        example = spec["urls"][0]
        mix_lines.append(f"| {kind} | {spec['weight']} | {len(spec['urls'])} | `{example}` |")
    text = "\n".join([
        "# Newsdesk load test",
        "",
        f"- Date: {context['date']}",
        f"- Command: `{context['command']}`" + ("" if full else
            "  \n  **Not the issue's full size.** The full run is `.venv/bin/python loadtest/run.py --articles 10000 --clients 32 --seconds 60`."),
        f"- App: {context['app']}",
        f"- Machine: {context['machine']}; load average before the run {context['load_before']}; "
        f"during the load the test's own processes (gunicorn, locust, editor) used {context['own_cores']:.2f} cores and "
        f"other work on the machine {context['others_cores']:.2f}. The server is CPU-bound, so requests/s here move with "
        "what else runs: repeat the command on a quiet machine for steadier figures.",
        f"- Versions: {context['versions']}",
        f"- Archive: {archive['articles']:,} synthetic articles (bench/generate.py, seed {SEED}, {archive['first_date']} to "
        f"{archive['last_date']}), {archive['actors']:,} actors, {archive['topics']} topics; SQLite + Whoosh in a fresh copy of the prepared data dir"
        + (f" (prepared in {context['prepared_minutes']} min)" if context.get("prepared_minutes") else "") + ".",
        f"- Server: gunicorn, newsdesk/gunicorn.conf.py, {args.workers} sync workers on 127.0.0.1, access log off.",
        f"- Load: locust (headless), {args.clients} users with no think time (each sends its next request when the "
        f"previous one answers), {args.seconds} s, request timeout {args.timeout:g} s; every request recorded; percentiles are "
        "nearest-rank over all requests of the kind. Failure = non-2xx/3xx status, socket error, timeout, or a JSON/CSV body that does not parse.",
        "- Editor: one process logged in to /admin/ (session cookie + CSRF token) running add → edit → delete in a loop "
        "for the whole load: *add* pastes a new synthetic article with a unique word (Preview, then Save); *edit* appends a sentence with a unique "
        "word to an archive article and swaps one of its actors; *delete* removes, in turn, an article it added and one it edited.",
        "",
        "## Result",
        "",
        table,
        "",
        "## URL mix",
        "",
        "Each request picks a kind by weight, then one of its URLs at random; slugs and ids are read from the database first "
        "(loadtest/mix.py). Article pages requested are never among those the editor touches.",
        "",
        "| kind | weight | URLs | example |",
        "| --- | ---: | ---: | --- |",
        *mix_lines,
        "",
    ])
    (HERE / "RESULTS.md").write_text(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds before a request counts as timed out (default 60, gunicorn's worker timeout)")
    parser.add_argument("--prepare-only", action="store_true", help="build the data dir and stop")
    parser.add_argument("--no-results-file", action="store_true", help="print the table only; leave RESULTS.md alone")
    parser.add_argument("--port", type=int, help="gunicorn's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the outcome as JSON (tests read it)")
    args = parser.parse_args(argv)
    command = " ".join([".venv/bin/python loadtest/run.py", *(argv if argv is not None else sys.argv[1:])])

    base = prepare(args.articles)
    if args.prepare_only:
        return 0
    ensure_locust()
    run_dir = fresh_copy(base)
    logs = base.parent / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    env = app_env(run_dir)
    # Others change the app while the prepared copy waits: bring its schema and static files up to date.
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    mix = json.loads(manage(env, "shell", "-c", "from loadtest.mix import main; main()").stdout.strip().splitlines()[-1])
    mix_path = logs / "mix.json"
    mix_path.write_text(json.dumps(mix["kinds"]))
    plan = logs / "editor-plan.json"
    plan.write_text(json.dumps(mix["editor"]))
    kinds = list(mix["kinds"])

    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    gunicorn, base_url = start_gunicorn(run_dir, logs, args.workers, args.port)
    try:
        log(f"gunicorn on {base_url} ({args.workers} workers) over {run_dir.relative_to(REPO)}; warming up")
        alone = warm_up(base_url, mix)
        (busy_before, own_before), wall_before = cpu_seconds(), time.monotonic()
        result = run_load(base_url, args, mix_path, logs, plan)
        (busy_after, own_after), wall = cpu_seconds(), time.monotonic() - wall_before
        cores = {"own": (own_after - own_before) / wall, "others": max(0.0, (busy_after - busy_before) - (own_after - own_before)) / wall}
        log("checking what the editor did, through search")
        checks = check_editor_work(base_url, result["editor"])
    finally:
        stop(gunicorn)
    gunicorn_problems = [line.strip() for line in (logs / "gunicorn.log").read_text().splitlines()
                         if re.search(r"Traceback|\[ERROR\]|\[CRITICAL\]|WORKER TIMEOUT|Exception", line)]
    index = manage(env, "index_check", check=False)
    index_line = index.stdout.strip().splitlines()[0] if index.stdout.strip() else f"(no output; exit {index.returncode})"
    figures = summarise(result["samples"], kinds)
    for kind in kinds:
        figures[kind]["alone"] = alone[kind]
    context = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "app": app_description(),
        "machine": machine(),
        "versions": versions(),
        "load_before": load_before,
        # Our processes (gunicorn, locust, editor) share the cores with whatever else runs on the machine.
        "own_cores": cores["own"],
        "others_cores": cores["others"],
        "prepared_minutes": json.loads((base / "prepared.json").read_text()).get("minutes"),
    }
    table = render(args, figures, kinds, result["editor"], checks, index_line, gunicorn_problems)
    print()
    print(table)
    if not args.no_results_file:
        write_results(args, table, context, mix["archive"], mix)
        log(f"wrote {(HERE / 'RESULTS.md').relative_to(REPO)}; raw samples in {logs.relative_to(REPO)}/")
    ok = (figures["all"]["failures"] == 0 and figures["all"]["requests"] > 0 and index.returncode == 0
          and "Index matches the database" in index_line and all(c["ok"] for c in checks)
          and not result["editor"]["failures"] and result["editor"]["http_errors"] == 0)
    if args.json:
        args.json.write_text(json.dumps({
            "ok": ok, "requests": figures["all"]["requests"], "failures": figures["all"]["failures"],
            "p50_ms": figures["all"]["p50"], "p99_ms": figures["all"]["p99"],
            "editor": {op: {"done": row["ok"], "failed": row["failed"]} for op, row in result["editor"]["operations"].items()},
            "editor_failures": result["editor"]["failures"], "editor_http_errors": result["editor"]["http_errors"],
            "checks": checks, "index_check": index_line, "gunicorn_problems": gunicorn_problems,
        }, indent=1))
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


def app_description() -> str:
    def git(*a):
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"working tree at {git('rev-parse', '--short=12', 'HEAD')}" + (" with uncommitted changes by others" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
