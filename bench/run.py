"""Benchmark Newsdesk end to end and against SQLite FTS5; print a markdown table, write bench/RESULTS.md.

    .venv/bin/python bench/run.py --sizes 10000            # the recorded run (~10 min here)
    .venv/bin/python bench/run.py --quick                  # 2,000 articles, 5 repeats, bench/var/quick.md

For each size N, in a throwaway data dir bench/var/<N>/ (SQLite db + Whoosh index):
generate N articles (bench/generate.py), `manage.py ingest` them (wall time; ingest also
indexes), rebuild the index from the database (delete the index directory, then
`manage.py index_check --repair`), build an FTS5 peer over the same articles, then serve the
app with gunicorn (2 workers, loopback) and time the fixed query mix of bench/queries.json
over HTTP: cold (first request after a fresh gunicorn start, workers ready) and warm (p50/p95). A size is
skipped when the sizes already run project it past --max-minutes.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import math
import os
import platform
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VAR = BENCH / "var"
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402  (bench/generate.py)

WORKERS = 2
WARMUPS = 3  # rounds of unmeasured requests (one per worker, concurrently) before the warm repeats
HTTP_TIMEOUT = 600  # seconds per request; gunicorn's worker timeout is raised to match
PAGE_SIZE = 20


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def size_label(n: int) -> str:
    """10000 -> "10k", 2500 -> "2.5k", 500 -> "500"."""
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- the app under test -------------------------------------------------------------------

class App:
    """A Newsdesk checkout (the working tree or a git snapshot) run with this Python."""

    def __init__(self, directory: Path, description: str):
        self.dir, self.description = directory, description

    def manage(self, env: dict, *args: str, check: bool = True, timeout: float = 4 * 3600) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=self.dir, env=env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def prepare_app(ref: str | None) -> App:
    """Return the app to measure: the working tree, or `git archive REF` under bench/var/."""
    if ref:
        sha = git("rev-parse", ref)
        target = VAR / f"app-{sha[:12]}"
        if not (target / "manage.py").exists():
            target.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", "archive", sha], cwd=REPO, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        named = "" if sha.startswith(ref) else f"{ref} at the time, "
        app = App(target, f"commit {sha[:12]} ({named}exported with git archive)")
    else:
        sha = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench"))
        app = App(REPO, f"working tree at {sha[:12]}" + (" with uncommitted changes" if dirty else ""))
    scratch = VAR / "check"
    result = app.manage(app_env(scratch), "check", check=False)
    shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode != 0:
        raise SystemExit(f"`manage.py check` fails in {app.dir}:\n{result.stderr[-1500:]}\n"
                         "Measure a commit instead: --app-ref HEAD")
    return app


def app_env(data_dir: Path, **extra: str) -> dict:
    """The environment of every app process: default settings, data in data_dir, no private/HTTPS/debug mode."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NEWSDESK_", "GUNICORN_")) and key not in ("DATABASE_URL", "ALLOWED_HOSTS", "SECRET_KEY")}
    env.update(NEWSDESK_DATA_DIR=str(data_dir), SECRET_KEY="bench-only-not-secret", PYTHONUNBUFFERED="1", **extra)
    return env


# --- ingest and rebuild ------------------------------------------------------------------

def timed_ingest(app: App, env: dict, articles: Path, log_path: Path) -> dict:
    """Run `manage.py ingest DIR`; split its wall time at the last per-file line (store vs index)."""
    started = time.perf_counter()
    marks, counts, last_file_line = {}, {"ingested": 0, "duplicate": 0, "refused": 0}, started
    with open(log_path, "w") as out, open(log_path.with_suffix(".err"), "w") as err:
        proc = subprocess.Popen([sys.executable, "manage.py", "ingest", str(articles)], cwd=app.dir,
                                env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        for line in proc.stdout:  # ends when the command exits
            out.write(line)
            status = line.split(" ", 1)[0]
            if status in counts:
                counts[status] += 1
                last_file_line = time.perf_counter()
                done = sum(counts.values())
                if done % 1000 == 0:
                    marks[done] = round(last_file_line - started, 2)
        returncode = proc.wait(timeout=4 * 3600)
    total = time.perf_counter() - started
    if returncode != 0 or counts["refused"]:
        raise SystemExit(f"ingest failed ({returncode}); see {log_path}")
    return {"total_s": total, "store_s": last_file_line - started, "index_s": total - (last_file_line - started),
            "counts": counts, "store_marks_s": marks}


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, CPU seconds of this process and its waited-for children)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    own = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK"), sum(u.ru_utime + u.ru_stime for u in own)


ATTEMPTS = 3  # per measurement, when other processes were busy during it
COLD_STARTS = [5]  # fresh gunicorns per query for the cold figures (--cold-starts)
NOISY_CORES = 0.3


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by live processes."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def noise_of(measure, live_pids=lambda: []):
    """Run measure() once; return (its result, cores other processes used meanwhile)."""
    busy, own = cpu_seconds()
    own += process_cpu(live_pids())
    started = time.perf_counter()
    result = measure()
    wall = time.perf_counter() - started
    busy2, own2 = cpu_seconds()
    own2 += process_cpu(live_pids())
    return result, max(0.0, (busy2 - busy) - (own2 - own)) / wall


def least_noisy(measure, live_pids=lambda: [], label: str = ""):
    """Run measure() up to ATTEMPTS times until other processes used under NOISY_CORES meanwhile;
    return (result, others_cores) of the quietest attempt."""
    best = None
    for attempt in range(QUIET["attempts"]):
        if attempt:
            time.sleep(10)
        result, others = noise_of(measure, live_pids)
        if best is None or others < best[1]:
            best = (result, others)
        if others < NOISY_CORES:
            break
        log(f"  {label}: other processes used {others:.2f} cores during attempt {attempt + 1}")
    return best


class Watch:
    """Record a phase's wall time, the CPU time of the benchmark's own processes, and what
    the rest of the machine used meanwhile (other users' work makes the figures noisy)."""

    def __init__(self, record: dict, phase: str):
        self.record, self.phase = record, phase

    def __enter__(self):
        wait_quiet(self.phase)
        self.started, (self.busy, self.own) = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.started
        busy, own = cpu_seconds()
        self.record[self.phase] = {
            "wall_s": wall, "own_cpu_s": own - self.own,
            "others_cores": max(0.0, (busy - self.busy) - (own - self.own)) / wall if wall else 0.0,
            "load1_end": os.getloadavg()[0],
        }


QUIET = {"limit_s": 0.0, "cores": 0.3, "attempts": 3, "prefix": ""}  # from --wait-quiet, --attempts, --quick
COMMAND = [""]  # this run's command line, for the report


def wait_quiet(phase: str) -> None:
    """Before a measured phase, wait (at most --wait-quiet seconds) until the rest of the machine
    uses under 0.3 cores, sampled over 5 s; measure anyway when the wait runs out."""
    deadline = time.monotonic() + QUIET["limit_s"]
    while QUIET["limit_s"] > 0:
        busy, own = cpu_seconds()
        time.sleep(5)
        busy2, own2 = cpu_seconds()
        others = max(0.0, (busy2 - busy) - (own2 - own)) / 5
        if others < QUIET["cores"]:
            return
        if time.monotonic() > deadline:
            log(f"  {phase}: the machine is still busy ({others:.2f} cores used by other processes); measuring anyway")
            return
        log(f"  {phase}: waiting for a quiet machine ({others:.2f} cores used by other processes)")
        time.sleep(25)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file())


def index_stats(index_dir: Path) -> dict:
    """Size on disk and number of segments of the live Whoosh index (a directory or a symlink to one)."""
    return {"bytes": dir_size(index_dir), "segments": len(list(index_dir.resolve().glob("*.seg")))}


# --- query mix ---------------------------------------------------------------------------

def resolve_placeholders(db: Path) -> dict[str, str]:
    """Pick real slugs and ids from the database, deterministically (see bench/queries.json)."""
    from django.utils.text import slugify  # the app's own slug rule for article URLs

    conn = sqlite3.connect(db)
    values = {}
    for kind in ("person", "country", "organisation"):
        rows = conn.execute(
            "SELECT a.slug FROM articles_actor a JOIN articles_article_actors aa ON aa.actor_id = a.id "
            "WHERE a.kind = ? GROUP BY a.id ORDER BY count(*) DESC, a.slug LIMIT 10", (kind,)).fetchall()
        values.update({f"actor_{kind}_{rank}": slug for rank, (slug,) in enumerate(rows, 1)})
    rows = conn.execute(
        "SELECT t.slug FROM articles_topic t JOIN articles_article_topics at ON at.topic_id = t.id "
        "GROUP BY t.id ORDER BY count(*) DESC, t.slug LIMIT 10").fetchall()
    values.update({f"topic_{rank}": slug for rank, (slug,) in enumerate(rows, 1)})
    article_id, headline = conn.execute(
        "SELECT id, headline FROM articles_article ORDER BY id LIMIT 1 "
        "OFFSET (SELECT count(*) / 2 FROM articles_article)").fetchone()
    values["article_mid"] = str(article_id)
    values["article_mid_slug"] = slugify(headline)[:80].strip("-") or "article"
    conn.close()
    return values


def load_queries(values: dict[str, str]) -> list[dict]:
    """Read bench/queries.json and fill its placeholders."""
    def fill(text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)

    queries = []
    for spec in json.loads((BENCH / "queries.json").read_text())["queries"]:
        params = {key: fill(value) for key, value in spec["params"].items()}
        path = fill(spec["path"])
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        queries.append({"name": spec["name"], "url": url, "params": params, "text": bool(params.get("q"))})
    return queries


def corpus_stats(db: Path) -> dict:
    conn = sqlite3.connect(db)
    stats = {
        "articles": conn.execute("SELECT count(*) FROM articles_article").fetchone()[0],
        "actors": dict(conn.execute("SELECT kind, count(*) FROM articles_actor GROUP BY kind").fetchall()),
        "actor_links": conn.execute("SELECT count(*) FROM articles_article_actors").fetchone()[0],
        "topics_used": conn.execute("SELECT count(DISTINCT topic_id) FROM articles_article_topics").fetchone()[0],
        "topic_links": conn.execute("SELECT count(*) FROM articles_article_topics").fetchone()[0],
        "date_range": conn.execute("SELECT min(date), max(date) FROM articles_article").fetchone(),
    }
    conn.close()
    return stats


# --- SQLite FTS5 peer --------------------------------------------------------------------

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"  # stemming + accent folding, like the app's analyzer


def fts_connect(fts_db: Path, app_db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(fts_db)
    conn.execute("ATTACH DATABASE ? AS app", (str(app_db),))
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, r REAL)")
    return conn


def fts_build(fts_db: Path, app_db: Path) -> float:
    """Build an FTS5 table of headline + body from the app's articles; return seconds."""
    fts_db.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = fts_connect(fts_db, app_db)
    conn.execute(f"CREATE VIRTUAL TABLE doc USING fts5(headline, body, tokenize='{FTS_TOKENIZER}')")
    conn.execute("INSERT INTO doc (rowid, headline, body) SELECT id, headline, body FROM app.articles_article")
    conn.execute("INSERT INTO doc (doc) VALUES ('optimize')")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def fts_match(q: str) -> str:
    """Translate the app's query syntax: 'gas "power line" -oil' -> '"gas" AND "power line" NOT "oil"'."""
    positive, negative = [], []
    for term in re.findall(r'-?"[^"]*"|\S+', q):
        words = re.findall(r"\w+", term)
        if words:
            (negative if term.startswith("-") else positive).append('"' + " ".join(words) + '"')
    return " AND ".join(positive) + "".join(f" NOT {phrase}" for phrase in negative)


def fts_page(conn: sqlite3.Connection, params: dict, page: int = 1) -> dict:
    """Compute the search page the app serves: top 20 by bm25 with snippets and labels, count, 3 facets.

    With filters, the matches and their bm25 are materialised once, then filtered by joins:
    a plain `doc MATCH ? AND rowid IN (...)` makes SQLite probe the full-text index once per
    filtered id (60 ms instead of 3 ms for word + actor + dates at 10k).
    """
    match = fts_match(params["q"])
    where, args = [], [match]
    if params.get("from") or params.get("to"):
        where.append("id IN (SELECT id FROM app.articles_article WHERE date BETWEEN ? AND ?)")
        args += [params.get("from", "0000-01-01"), params.get("to", "9999-12-31")]
    if params.get("actor"):
        where.append("id IN (SELECT aa.article_id FROM app.articles_article_actors aa "
                     "JOIN app.articles_actor a ON a.id = aa.actor_id WHERE a.slug = ?)")
        args.append(params["actor"])
    if params.get("topic"):
        where.append("id IN (SELECT at.article_id FROM app.articles_article_topics at "
                     "JOIN app.articles_topic t ON t.id = at.topic_id WHERE t.slug = ?)")
        args.append(params["topic"])
    conn.execute("DELETE FROM temp.hits")
    offset = (page - 1) * PAGE_SIZE
    if where:
        conn.execute("WITH m AS MATERIALIZED (SELECT rowid AS id, rank AS r FROM doc WHERE doc MATCH ?) "
                     "INSERT INTO temp.hits SELECT id, r FROM m WHERE " + " AND ".join(where), args)
        ids = [row[0] for row in conn.execute("SELECT id FROM temp.hits ORDER BY r, id LIMIT ? OFFSET ?", (PAGE_SIZE, offset))]
        marks = ",".join("?" * len(ids)) or "NULL"
        snippets = conn.execute(f"SELECT rowid, snippet(doc, 1, '<mark>', '</mark>', ' … ', 24) FROM doc "
                                f"WHERE doc MATCH ? AND rowid IN ({marks})", [match, *ids]).fetchall()
    else:  # without filters FTS5's own ORDER BY rank LIMIT is faster than sorting all matches
        conn.execute("INSERT INTO temp.hits (id) SELECT rowid FROM doc WHERE doc MATCH ?", [match])
        snippets = conn.execute("SELECT rowid, snippet(doc, 1, '<mark>', '</mark>', ' … ', 24) FROM doc "
                                "WHERE doc MATCH ? ORDER BY rank LIMIT ? OFFSET ?", (match, PAGE_SIZE, offset)).fetchall()
        ids = [row[0] for row in snippets]
        marks = ",".join("?" * len(ids)) or "NULL"
    count = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
    articles = conn.execute(f"SELECT id, headline, date, source FROM app.articles_article WHERE id IN ({marks})", ids).fetchall()
    labels = conn.execute(
        f"SELECT aa.article_id, a.name, a.kind, a.slug FROM app.articles_article_actors aa "
        f"JOIN app.articles_actor a ON a.id = aa.actor_id WHERE aa.article_id IN ({marks})", ids).fetchall()
    labels += conn.execute(
        f"SELECT at.article_id, t.name, '', t.slug FROM app.articles_article_topics at "
        f"JOIN app.articles_topic t ON t.id = at.topic_id WHERE at.article_id IN ({marks})", ids).fetchall()
    facets = {
        "actors": conn.execute(
            "SELECT a.slug, count(*) FROM temp.hits h JOIN app.articles_article_actors aa ON aa.article_id = h.id "
            "JOIN app.articles_actor a ON a.id = aa.actor_id GROUP BY a.id").fetchall(),
        "topics": conn.execute(
            "SELECT t.slug, count(*) FROM temp.hits h JOIN app.articles_article_topics at ON at.article_id = h.id "
            "JOIN app.articles_topic t ON t.id = at.topic_id GROUP BY t.id").fetchall(),
        "months": conn.execute(
            "SELECT substr(ar.date, 1, 7), count(*) FROM temp.hits h JOIN app.articles_article ar ON ar.id = h.id "
            "GROUP BY 1").fetchall(),
    }
    return {"count": count, "ids": ids, "snippets": len(snippets), "articles": len(articles),
            "labels": len(labels), "facets": facets}


def fts_measure(fts_db: Path, app_db: Path, queries: list[dict], repeats: int) -> dict[str, dict]:
    """Time each text query: cold = first run on a new connection, warm = p50/p95 of repeats."""
    results = {}
    for query in queries:
        if not query["text"]:
            continue
        def measure():
            conn = fts_connect(fts_db, app_db)
            cold, page = timed(fts_page, conn, query["params"])
            warm = [timed(fts_page, conn, query["params"])[0] for _ in range(repeats)]
            conn.close()
            return cold, page, warm

        (cold, page, warm), others = least_noisy(measure, label=f"FTS5 {query['name']}")
        results[query["name"]] = {"cold": cold, "p50": statistics.median(warm), "p95": percentile(warm, 95),
                                  "count": page["count"], "others_cores": others}
    return results


# --- gunicorn over HTTP ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The app under gunicorn on a loopback port; start() waits until every worker has loaded it."""

    def __init__(self, app: App, data_dir: Path, log_path: Path):
        self.app, self.data_dir, self.log_path = app, data_dir, log_path
        self.ready_dir = data_dir.parent / "gunicorn-ready"
        self.proc = None
        self.port = None

    def start(self, timeout: float = 120) -> None:
        shutil.rmtree(self.ready_dir, ignore_errors=True)
        self.ready_dir.mkdir(parents=True)
        self.port = free_port()
        env = app_env(self.data_dir, GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=str(WORKERS),
                      GUNICORN_TIMEOUT=str(HTTP_TIMEOUT), BENCH_READY_DIR=str(self.ready_dir))
        with open(self.log_path, "a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(BENCH / "gunicorn_bench.py")],
                cwd=self.app.dir, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < WORKERS:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not start; see {self.log_path}")
            time.sleep(0.05)

    def worker_pids(self) -> list[int]:
        """The live workers of this master (their ready files, checked against /proc)."""
        pids = []
        for entry in self.ready_dir.iterdir():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:  # ppid
                pids.append(int(entry.name))
        return sorted(pids)

    def memory(self) -> list[dict]:
        """VmRSS and VmHWM (peak) of each worker, in MiB."""
        rows = []
        for pid in self.worker_pids():
            status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
            rows.append({"pid": pid, **{key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}})
        return rows

    def get(self, url: str) -> tuple[float, int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        started = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed, response.status, body

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's master stops its workers
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None


def json_count(body: bytes) -> int | None:
    try:
        return json.loads(body)["count"]
    except (ValueError, KeyError):
        return None


def http_measure(server: Gunicorn, queries: list[dict], repeats: int) -> tuple[dict, list[dict], dict]:
    """Cold: COLD_STARTS fresh gunicorns per query, the first request of each (p50 and the slowest).
    Warm: one gunicorn, p50/p95 of repeats. A measurement during which other processes were busy
    is taken again (up to ATTEMPTS times)."""
    results = {query["name"]: {} for query in queries}
    live = lambda: ([server.proc.pid] if server.proc else []) + server.worker_pids()  # noqa: E731
    for query in queries:
        def cold():
            server.start()  # a fresh gunicorn for every attempt: only its first request is cold
            try:
                return noise_of(lambda: server.get(query["url"]), live)
            finally:
                server.stop()

        starts = []
        for _ in range(COLD_STARTS[0]):
            attempts = [cold()]
            while attempts[-1][1] >= NOISY_CORES and len(attempts) < QUIET["attempts"]:
                log(f"  cold {query['name']}: other processes used {attempts[-1][1]:.2f} cores during attempt {len(attempts)}")
                time.sleep(10)
                attempts.append(cold())
            starts.append(min(attempts, key=lambda attempt: attempt[1]))
        times = [elapsed for (elapsed, _, _), _ in starts]
        statuses = sorted({status for (_, status, _), _ in starts})
        others = max(noise for _, noise in starts)
        results[query["name"]].update(cold=statistics.median(times), cold_max=max(times), cold_all=times,
                                      cold_status=statuses[0] if len(statuses) == 1 else statuses, cold_others_cores=others)
        log(f"  cold  {query['name']:<40} p50 {statistics.median(times) * 1000:9.1f} ms  max {max(times) * 1000:9.1f} ms "
            f"({len(times)} starts; {statuses}; others ≤ {others:.2f} cores)")
    server.start()
    try:
        floor = [server.get("/static/css/newsdesk.css")[0] for _ in range(WARMUPS + repeats)][WARMUPS:]
        for query in queries:
            # Warm-up in pairs of concurrent requests, so that both workers have served the page.
            with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(server.get, [query["url"]] * (WARMUPS * WORKERS)))

            def warm():
                return [server.get(query["url"]) for _ in range(repeats)]

            responses, others = least_noisy(warm, live, f"warm {query['name']}")
            times = [elapsed for elapsed, _, _ in responses]
            row = results[query["name"]]
            row.update(p50=statistics.median(times), p95=percentile(times, 95), warm_others_cores=others,
                       statuses=sorted({status for _, status, _ in responses}), bytes=len(responses[-1][2]))
            if query["text"]:
                separator = "&" if "?" in query["url"] else "?"
                json_url = query["url"] if query["params"].get("format") == "json" else query["url"] + separator + "format=json"
                row["count"] = json_count(server.get(json_url)[2])
            log(f"  warm  {query['name']:<40} p50 {row['p50'] * 1000:9.1f} ms  p95 {row['p95'] * 1000:9.1f} ms (others {others:.2f} cores)")
        memory = server.memory()
    finally:
        server.stop()
    return results, memory, {"p50": statistics.median(floor), "p95": percentile(floor, 95)}


# --- one size ----------------------------------------------------------------------------

def run_size(app: App, n: int, seed: int, repeats: int, reuse: bool = False, rebuild: bool = False) -> dict:
    label = size_label(n)
    work = VAR / f"{QUIET['prefix']}{label}"
    data, articles = work / "data", work / "articles"
    app_db = data / "newsdesk.sqlite3"
    saved = VAR / f"results-{QUIET['prefix']}{label}.json"
    if reuse and saved.exists() and app_db.exists():
        log(f"{label}: reusing the articles, database and index built at {json.loads(saved.read_text()).get('built', '?')}")
        result = json.loads(saved.read_text())
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
    else:
        result = build_size(app, n, seed, work, data, articles)
    result["repeats"] = repeats
    phases, load = result["phases_s"], result.setdefault("load", {})
    values = resolve_placeholders(app_db)
    queries = load_queries(values)
    result["placeholders"], result["queries"] = values, queries

    log(f"{label}: FTS5 build and queries")
    fts_db = work / "fts5.sqlite3"
    with Watch(load, "fts_build"):
        phases["fts_build"] = fts_build(fts_db, app_db)
    result["fts_bytes"] = fts_db.stat().st_size
    with Watch(load, "fts_queries"):
        phases["fts_queries"], result["fts"] = timed(fts_measure, fts_db, app_db, queries, repeats)

    log(f"{label}: HTTP, gunicorn with {WORKERS} workers")
    server = Gunicorn(app, data, work / "gunicorn.log")
    with Watch(load, "http"):
        phases["http"], (result["http"], result["memory"], result["http_floor"]) = timed(http_measure, server, queries, repeats)
    result["measured"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    saved.write_text(json.dumps(result, indent=1, default=str))
    return result


def build_size(app: App, n: int, seed: int, work: Path, data: Path, articles: Path) -> dict:
    """Generate, ingest, check and rebuild one size from scratch; return the build figures."""
    label = size_label(n)
    shutil.rmtree(work, ignore_errors=True)
    data.mkdir(parents=True)
    env = app_env(data)
    phases, load = {}, {}
    result = {"n": n, "label": label, "seed": seed, "phases_s": phases, "load": load, "app": app.description,
              "build_command": COMMAND[0]}

    log(f"{label}: generating {n} articles (seed {seed})")
    phases["generate"], stats = timed(generate.generate, n, articles, seed)
    result["generated"] = stats

    phases["setup"], _ = timed(lambda: (app.manage(env, "migrate", "--noinput"),
                                        app.manage(env, "collectstatic", "--noinput", "--verbosity", "0")))

    log(f"{label}: manage.py ingest")
    with Watch(load, "ingest"):
        ingest = timed_ingest(app, env, articles, work / "ingest.log")
    result["ingest"] = ingest
    phases["ingest"] = ingest["total_s"]
    log(f"{label}: ingest {ingest['total_s']:.1f} s ({n / ingest['total_s']:.1f} articles/s; "
        f"store {ingest['store_s']:.1f} s, index {ingest['index_s']:.1f} s; "
        f"other processes used {load['ingest']['others_cores']:.2f} cores meanwhile)")

    index_dir = data / "whoosh"
    phases["check"], check = timed(app.manage, env, "index_check", check=False)
    result["check"] = {"seconds": phases["check"], "output": check.stdout.strip(), "returncode": check.returncode}
    result["index_after_ingest"] = index_stats(index_dir)
    log(f"{label}: index_check {phases['check']:.1f} s: {check.stdout.strip()}")

    measure_rebuild(app, env, data, result)
    result["corpus"] = corpus_stats(data / "newsdesk.sqlite3")
    result["built"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


def measure_rebuild(app: App, env: dict, data: Path, result: dict) -> None:
    """Rebuild the size's index from its database; record the time and the index it leaves."""
    label, phases, load = result["label"], result["phases_s"], result.setdefault("load", {})
    index_dir = data / "whoosh"
    if (app.dir / "articles/management/commands/index_rebuild.py").exists():
        method, command = "`manage.py index_rebuild` (the app's rebuild: a fresh directory beside the live index, then a swap)", ["index_rebuild"]
    else:
        method, command = "delete the index directory, then `manage.py index_check --repair`", ["index_check", "--repair"]
        shutil.rmtree(index_dir.resolve())
    log(f"{label}: rebuild: {method}")
    with Watch(load, "rebuild"):
        phases["rebuild"], repair = timed(app.manage, env, *command)
    result["rebuild"] = {"seconds": phases["rebuild"], "output": repair.stdout.strip(), "method": method}
    result["index"] = index_stats(index_dir)
    result["db_bytes"] = (data / "newsdesk.sqlite3").stat().st_size
    log(f"{label}: rebuild {phases['rebuild']:.1f} s, index {result['index']['bytes'] / 2**20:.1f} MiB "
        f"(other processes used {load['rebuild']['others_cores']:.2f} cores meanwhile)")


# --- the targets of issue 6 ---------------------------------------------------------------

TARGET_SIZE = 100_000
PAGE_P50_MS, PAGE_P95_MS, QUICK_PAGE_P50_MS = 150, 400, 30
QUICK_PAGES = ("filter-only (actor + topic + dates)", "article page")
REBUILD_MIN, INGEST_PER_S, WORKER_MIB, FTS5_RATIO = 15, 30, 400, 1.0


def targets_section(results: list[dict]) -> list[str]:
    """Each target of issue 6 against the 100k figures: measured, and met or by how much not."""
    r = next((r for r in results if r["n"] == TARGET_SIZE), None)
    if r is None:
        return []
    http, fts = r["http"], r["fts"]

    def verdict(ok: bool, over: str) -> str:
        return "yes" if ok else f"**no**: {over}"

    cold = {name: row["cold"] * 1000 for name, row in http.items()}
    warm = {name: row["p50"] * 1000 for name, row in http.items()}
    p95 = {name: row["p95"] * 1000 for name, row in http.items()}
    slowest_cold, slowest_p95 = max(cold, key=cold.get), max(p95, key=p95.get)
    quick = {name: max(cold[name], warm[name]) for name in QUICK_PAGES if name in http}
    ratios = [http[name]["p50"] / fts[name]["p50"] for name in fts if name in http]
    ratio = statistics.median(ratios) if ratios else float("nan")
    rebuild_min = r["phases_s"]["rebuild"] / 60
    ingest = r["n"] / r["ingest"]["total_s"]
    memory = max(m["VmRSS"] for m in r["memory"])
    built_by = f" (ingest by {r['built_by']})" if r.get("built_by") and r["built_by"] != r["app"] else ""
    rows = [
        (f"every page p50 ≤ {PAGE_P50_MS} ms, cold", f"slowest cold p50: {slowest_cold} {cold[slowest_cold]:.0f} ms "
         f"(warm p50 ≤ {max(warm.values()):.0f} ms)",
         verdict(cold[slowest_cold] <= PAGE_P50_MS, f"{slowest_cold} by {cold[slowest_cold] - PAGE_P50_MS:.0f} ms")),
        (f"every page p95 ≤ {PAGE_P95_MS} ms", f"highest warm p95: {slowest_p95} {p95[slowest_p95]:.0f} ms",
         verdict(p95[slowest_p95] <= PAGE_P95_MS, f"by {p95[slowest_p95] - PAGE_P95_MS:.0f} ms")),
        (f"filter-only and article pages p50 ≤ {QUICK_PAGE_P50_MS} ms",
         "; ".join(f"{name}: cold {cold[name]:.1f}, warm {warm[name]:.1f} ms" for name in quick),
         verdict(all(ms <= QUICK_PAGE_P50_MS for ms in quick.values()),
                 ", ".join(f"{name} by {ms - QUICK_PAGE_P50_MS:.1f} ms" for name, ms in quick.items() if ms > QUICK_PAGE_P50_MS))),
        (f"median ratio to FTS5 ≤ {FTS5_RATIO}", f"{ratio:.1f}× (warm p50, text queries)",
         verdict(ratio <= FTS5_RATIO, f"{ratio:.1f}×")),
        (f"full rebuild ≤ {REBUILD_MIN} min into a fresh directory, swapped in", f"{rebuild_min:.1f} min",
         verdict(rebuild_min <= REBUILD_MIN, f"by {rebuild_min - REBUILD_MIN:.1f} min")),
        (f"ingest ≥ {INGEST_PER_S} articles/s end to end", f"{ingest:.1f} articles/s{built_by}",
         verdict(ingest >= INGEST_PER_S, f"by {INGEST_PER_S - ingest:.1f} articles/s")),
        (f"memory per gunicorn worker ≤ {WORKER_MIB} MB", f"{memory:.0f} MiB (VmRSS after the mix)",
         verdict(memory * 2**20 <= WORKER_MIB * 10**6, f"by {memory - WORKER_MIB:.0f} MiB")),
    ]
    return [
        f"## Against the targets of issue 6 ({TARGET_SIZE:,} articles)",
        "",
        "| target | measured | met? |",
        "| --- | --- | --- |",
        *(f"| {target} | {measured} | {met} |" for target, measured, met in rows),
        "",
    ]


# --- projection --------------------------------------------------------------------------

def projection(done: list[dict], n: int) -> dict:
    """Project each phase's seconds to n articles: a power law fitted on the two largest sizes run
    (at least linear; linear for phases under 2 s); ingest as its store and index parts."""
    done = sorted(done, key=lambda r: r["n"])
    last = done[-1]

    def grow(seconds: float, before: float | None) -> tuple[float, float]:
        exponent = 1.0
        if before and before >= 2 and seconds > before:
            exponent = max(1.0, math.log(seconds / before) / math.log(last["n"] / done[-2]["n"]))
        return seconds * (n / last["n"]) ** exponent, exponent

    phases, exponents = {}, {}
    for phase, seconds in last["phases_s"].items():
        phases[phase], exponents[phase] = grow(seconds, done[-2]["phases_s"].get(phase) if len(done) >= 2 else None)
    parts = {}
    for part in ("store_s", "index_s"):
        parts[part], exponents[f"ingest {part[:-2]}"] = grow(last["ingest"][part], done[-2]["ingest"][part] if len(done) >= 2 else None)
    phases["ingest"] = sum(parts.values())  # the two halves of ingest grow differently
    exponents["ingest"] = math.log(phases["ingest"] / last["phases_s"]["ingest"]) / math.log(n / last["n"])
    return {"n": n, "from": [r["n"] for r in done[-2:]], "phases_s": phases, "exponents": exponents,
            "ingest_parts_s": parts, "total_s": sum(phases.values()), "lower_bound": len(done) < 2}


# --- report ------------------------------------------------------------------------------

def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    from importlib.metadata import version
    return {
        "nproc": os.cpu_count(),
        "memory_gib": int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 2**20,
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": version("Django"),
        "haystack": version("django-haystack"),
        "whoosh": version("Whoosh"),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"),
    }


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def cores(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def duration(seconds: float) -> str:
    return f"{seconds:,.0f} s ({seconds / 60:.1f} min)" if seconds >= 90 else f"{seconds:.1f} s"


def mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def load_note(r: dict, phase: str) -> str:
    """" · own CPU 470 s · others 0.30 cores" for a phase watched by Watch, else ""."""
    watched = r.get("load", {}).get(phase)
    if not watched:
        return ""
    return f" · own CPU {watched['own_cpu_s']:,.0f} s · other processes {watched['others_cores']:.2f} cores"


def render(results: list[dict], skipped: list[dict], info: dict) -> str:
    lines = [
        "# Newsdesk benchmark results",
        "",
        f"- Date: {info['date']}",
        f"- Command: `{info['command']}`",
        f"- App measured: {info['app']}",
        f"- Machine: {info['machine']['nproc']} CPUs ({info['machine']['cpu']}), "
        f"{info['machine']['memory_gib']:.1f} GiB RAM, Linux {info['machine']['kernel']}",
        f"- Versions: Python {info['machine']['python']}, Django {info['machine']['django']}, "
        f"django-haystack {info['machine']['haystack']}, Whoosh {info['machine']['whoosh']}, "
        f"gunicorn {info['machine']['gunicorn']}, SQLite {info['machine']['sqlite']}",
        f"- Articles: bench/generate.py, seed {results[0]['seed'] if results else '–'}; "
        f"gunicorn {WORKERS} sync workers on 127.0.0.1; warm = p50/p95 of {results[0]['repeats'] if results else '–'} "
        f"sequential requests after {WARMUPS * WORKERS} unmeasured ones ({WORKERS} at a time, so every worker has served the page).",
        "",
        "How each figure is taken:",
        "- *Ingest*: wall time of `manage.py ingest DIR` (read, extract, store, then index every new "
        "article); *store* is up to its last per-file line, *index* the drain that follows.",
        "- *Rebuild*: wall time of the app's `manage.py index_rebuild` when it has one (builds a fresh "
        "index beside the live one, swaps it in, "
        "then compares index and database); otherwise delete the Whoosh directory and run "
        "`manage.py index_check --repair` (queues every article and drains the queue in batches of "
        "500). *index_check* alone (listing the index against the database) is shown for reference.",
        "- *Cold*: the first request after a fresh gunicorn start, once its workers report ready "
        "(gunicorn's post_worker_init: the app's own warm-up, if it has one, has run; no request has "
        "been served; the OS page cache is whatever the machine kept: this VM reclaims idle page cache, so a "
        "first request may read the database or index from disk). p50 over `--cold-starts` restarts per query "
        f"({COLD_STARTS[0]} here), the slowest in brackets.",
        "- *FTS5*: an FTS5 table (`porter unicode61 remove_diacritics 2`) over headline + body of the "
        "same articles, joined to the app's SQLite tables; each text query computes the same page in "
        "process (top 20 by bm25 with snippets and their articles' actors/topics, the count, and "
        "actor/topic/month facet counts over all matches). No HTTP and no template rendering: the "
        "*HTTP floor* row (a static file through gunicorn) shows that fixed cost. Cold = first run on "
        "a new connection. Ratio = Newsdesk / FTS5.",
        "- *Others' cores*: this machine is shared; CPU that processes outside the benchmark used "
        "during a measurement, from /proc/stat minus the benchmark's own processes (2 = both cores "
        f"busy). A measurement with ≥ {NOISY_CORES} is retried up to {QUIET['attempts']} times and the quietest "
        "attempt kept; a high value left in the table means the figure is pessimistic.",
        "",
    ]
    lines += targets_section(results)
    for r in results:
        label, corpus = r["label"], r["corpus"]
        mem = r["memory"]
        lines += [
            f"## {r['n']:,} articles",
            "",
            f"{corpus['articles']:,} articles ({r['generated']['mean_bytes'] / 1024:.2f} KB mean, "
            f"{corpus['date_range'][0]} to {corpus['date_range'][1]}); actors: "
            + ", ".join(f"{count:,} {kind}" for kind, count in sorted(corpus["actors"].items()))
            + f" ({corpus['actor_links'] / corpus['articles']:.1f} per article); "
            f"{corpus['topics_used']} topics used ({corpus['topic_links'] / corpus['articles']:.1f} per article).",
            "",
            "| build | value |",
            "| --- | --- |",
            f"| ingest end to end | {duration(r['ingest']['total_s'])} → **{r['n'] / r['ingest']['total_s']:.1f} articles/s**{load_note(r, 'ingest')} |",
            f"| … store (read, extract, database) | {duration(r['ingest']['store_s'])} ({r['n'] / r['ingest']['store_s']:.1f} articles/s) |",
            f"| … index (queue drain into Whoosh) | {duration(r['ingest']['index_s'])} ({r['n'] / max(r['ingest']['index_s'], 1e-9):.1f} articles/s) |",
            f"| full index rebuild: {r['rebuild'].get('method', 'delete the index directory, then `manage.py index_check --repair`')} | **{duration(r['phases_s']['rebuild'])}**{load_note(r, 'rebuild')} |",
            f"| `index_check` alone (no differences) | {duration(r['phases_s']['check'])} |",
            f"| FTS5 build (insert + optimize) | {duration(r['phases_s']['fts_build'])} |",
            f"| Whoosh index on disk after rebuild | {mib(r['index']['bytes'])} in {r['index']['segments']} segments "
            f"(after ingest: {mib(r['index_after_ingest']['bytes'])}, {r['index_after_ingest']['segments']} segments) |",
            f"| SQLite database / FTS5 database | {mib(r['db_bytes'])} / {mib(r['fts_bytes'])} |",
            f"| FTS5 queries, HTTP phase (own CPU, other processes) | {load_note(r, 'fts_queries')[3:] or '–'}; {load_note(r, 'http')[3:] or '–'} |",
            f"| memory per gunicorn worker after the mix (VmRSS; peak VmHWM) | "
            + ", ".join(f"{m['VmRSS']:.0f} MiB ({m['VmHWM']:.0f})" for m in mem) + " |",
            "",
            f"| query at {label} | hits (Newsdesk / FTS5) | cold p50 ms (max) | warm p50 ms | warm p95 ms | FTS5 cold ms | FTS5 p50 ms | FTS5 p95 ms | ratio p50 | ratio cold | others' cores (cold / warm / FTS5) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        ratios = []
        for query in r["queries"]:
            h = r["http"][query["name"]]
            f = r["fts"].get(query["name"])
            hits = "–"
            if f:
                hits = f"{h.get('count', '?'):,} / {f['count']:,}" if isinstance(h.get("count"), int) else f"? / {f['count']:,}"
                ratios.append(h["p50"] / f["p50"])
            status = "" if h.get("statuses") == [200] and h.get("cold_status") == 200 else f" (HTTP {h.get('cold_status')}, {h.get('statuses')})"
            cold_max = f" ({ms(h['cold_max'])})" if "cold_max" in h else ""
            lines.append(
                f"| {query['name']}{status} | {hits} | {ms(h['cold'])}{cold_max} | {ms(h['p50'])} | {ms(h['p95'])} | "
                f"{ms(f and f['cold'])} | {ms(f and f['p50'])} | {ms(f and f['p95'])} | "
                + (f"{h['p50'] / f['p50']:,.1f}× | {h['cold'] / f['cold']:,.1f}× |" if f else "– | – |")
                + f" {cores(h.get('cold_others_cores'))} / {cores(h.get('warm_others_cores'))} / {cores(f and f.get('others_cores'))} |")
        lines.append(f"| HTTP floor (static file) | – | – | {ms(r['http_floor']['p50'])} | {ms(r['http_floor']['p95'])} | | | | | | |")
        if ratios:
            lines += ["", f"Median ratio Newsdesk / FTS5 (warm p50, text queries): **{statistics.median(ratios):,.1f}×**."]
        noisy = [(phase, w["others_cores"]) for phase, w in r.get("load", {}).items() if w["others_cores"] > 0.25]
        lines += ["", f"Built {r.get('built', 'earlier')}" + (f" by `{r['build_command']}`" if r.get("build_command") else "")
                  + f"; pages measured {r.get('measured', '?')}" + (" (build reused with --reuse)" if r.get("reused_build") else "")
                  + (f". Build figures ({'ingest' if r.get('rebuilt_by') else 'ingest, rebuild'}) are those of {r['built_by']}; "
                     f"{'the rebuild (re-run with --rebuild) and ' if r.get('rebuilt_by') else ''}pages were measured with {r['app']}"
                     if r.get("built_by") and r["built_by"] != r["app"] else "") + ". "
                  + ("Other processes on the machine were busy meanwhile ("
                     + ", ".join(f"{phase}: {cores:.2f} of {os.cpu_count()} cores" for phase, cores in noisy)
                     + "): those figures are pessimistic." if noisy else
                     "The rest of the machine was quiet during the watched phases (< 0.25 cores busy).")]
        lines += ["", "Queries (placeholders resolved from the database):", ""]
        lines += [f"- {query['name']}: `{query['url']}`" for query in r["queries"]]
        lines += ["", f"Run phases: " + ", ".join(f"{k} {v:,.0f} s" for k, v in r["phases_s"].items())
                  + f"; total {sum(r['phases_s'].values()) / 60:.1f} min.", ""]
    for s in skipped:
        p = s["projection"]
        lines += [
            f"## {s['n']:,} articles: not run",
            "",
            f"Projected total {p['total_s'] / 60:,.0f} min > the {s['limit_min']:g} min limit "
            f"({'linear lower bound from one size' if p['lower_bound'] else 'power law fitted per phase on ' + ' and '.join(map(size_label, p['from']))}):",
            "",
            "| phase | projected | exponent |",
            "| --- | ---: | ---: |",
        ]
        for phase, seconds in p["phases_s"].items():
            lines.append(f"| {phase} | {duration(seconds)} | {p['exponents'][phase]:.2f} |")
        for part, seconds in p["ingest_parts_s"].items():
            lines.append(f"| … ingest {part[:-2]} | {duration(seconds)} | {p['exponents']['ingest ' + part[:-2]]:.2f} |")
        lines += ["", f"Projected ingest throughput at {size_label(s['n'])}: "
                  f"{s['n'] / p['phases_s']['ingest']:.1f} articles/s; projected rebuild: {duration(p['phases_s']['rebuild'])}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--quick", action="store_true",
                        help="2,000 articles, 5 repeats, in bench/var/quick-2k/, report to bench/var/quick.md")
    parser.add_argument("--app-ref", help="measure this git commit (exported under bench/var/) instead of the working tree")
    parser.add_argument("--max-minutes", type=float, default=60, help="skip a size projected to take longer")
    parser.add_argument("--out", type=Path, help="markdown report (default bench/RESULTS.md)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each measured phase, wait up to this long for other processes to go idle")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS,
                        help=f"measure again while other processes use ≥ {NOISY_CORES} cores, at most this often (default {ATTEMPTS})")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a size's articles, database and index from an earlier run (and its build figures); "
                             "re-measure only FTS5 and HTTP")
    parser.add_argument("--cold-starts", type=int, default=COLD_STARTS[0],
                        help=f"fresh gunicorns per query for its cold p50 (default {COLD_STARTS[0]})")
    parser.add_argument("--report", action="store_true",
                        help="measure nothing: write the report again from bench/var/results.json")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --reuse: also rebuild the kept index with the app measured, and time it")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.out = [2000], 5, args.out or VAR / "quick.md"
        QUIET["prefix"] = "quick-"  # bench/var/quick-2k/: keeps the recorded run's sizes intact
    out = args.out or BENCH / "RESULTS.md"
    QUIET["limit_s"] = args.wait_quiet
    QUIET["attempts"] = max(1, args.attempts)
    COLD_STARTS[0] = max(1, args.cold_starts)
    VAR.mkdir(exist_ok=True)
    if args.report:
        results_json = VAR / f"{QUIET['prefix']}results.json"
        saved = json.loads(results_json.read_text())
        COLD_STARTS[0] = saved["info"].get("cold_starts", COLD_STARTS[0])
        out.write_text(render(saved["results"], saved["skipped"], saved["info"]))
        log(f"wrote {out} from {results_json}")
        return
    command = COMMAND[0] = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    app = prepare_app(args.app_ref)
    log(f"measuring {app.description} in {app.dir}")
    results, skipped = [], []
    for n in sorted(args.sizes):
        if results and n > results[-1]["n"]:
            p = projection(results, n)
            if p["total_s"] > args.max_minutes * 60:
                log(f"{size_label(n)}: skipped, projected {p['total_s'] / 60:.0f} min > {args.max_minutes:g} min")
                skipped.append({"n": n, "projection": p, "limit_min": args.max_minutes})
                continue
        results.append(run_size(app, n, args.seed, args.repeats, args.reuse, args.rebuild))
    info = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command, "app": app.description, "machine": machine(), "cold_starts": COLD_STARTS[0]}
    report = render(results, skipped, info)
    print(report)
    out.write_text(report)
    (VAR / f"{QUIET['prefix']}results.json").write_text(json.dumps({"info": info, "results": results, "skipped": skipped}, indent=1, default=str))
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
