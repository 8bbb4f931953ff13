"""The app under gunicorn on loopback, and its pages timed over HTTP: cold (the first request
after a fresh start, workers ready) and warm (p50/p95), with the machine's busyness."""

import concurrent.futures
import http.client
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from app import BENCH, App, app_env
from load import NOISY_CORES, QUIET, least_noisy, log, noise_of
from peers import percentile
from ports import GUNICORN_PORTS, free_port

WORKERS = 2
WARMUPS = 3  # rounds of unmeasured requests (one per worker, concurrently) before the warm repeats
HTTP_TIMEOUT = 600  # seconds per request; gunicorn's worker timeout is raised to match
JOB_POLL_S = 0.02  # how often an export job's status is asked while it is written
COLD_STARTS = [5]  # fresh gunicorns per query for the cold figures (--cold-starts)


class Gunicorn:
    """The app under gunicorn on a loopback port; start() waits until every worker has loaded it."""

    def __init__(self, app: App, data_dir: Path, log_path: Path):
        self.app, self.data_dir, self.log_path = app, data_dir, log_path
        self.ready_dir = data_dir.parent / "gunicorn-ready"
        self.proc = None
        self.port = None
        self.exports_via_job = 0  # exports answered by a background job (303) rather than at once

    def start(self, timeout: float = 120) -> None:
        shutil.rmtree(self.ready_dir, ignore_errors=True)
        self.ready_dir.mkdir(parents=True)
        self.port = free_port(GUNICORN_PORTS)
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
        elapsed, status, body, _ = self._request(url)
        return elapsed, status, body

    def _request(self, url: str) -> tuple[float, int, bytes, str | None]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        started = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed, response.status, body, response.getheader("Location")

    def get_export(self, url: str) -> tuple[float, int, bytes]:
        """An export as its user gets it: the file at once, or (303) a background job's status polled
        until its file is written, then the file; timed from the request to the file's last byte.

        The app hands a view asked again within minutes the file it wrote for it: the jobs of
        earlier requests are forgotten first, so that each request has its file written anew.
        """
        with sqlite3.connect(self.data_dir / "newsdesk.sqlite3", timeout=30) as db:
            db.execute("DELETE FROM exports_exportjob")
        started = time.perf_counter()
        _, status, body, location = self._request(url)
        if status != 303:
            return time.perf_counter() - started, status, body
        while (job := json.loads(self.get(f"{location}?format=json")[2]))["status"] not in ("done", "failed"):
            time.sleep(JOB_POLL_S)
        if job["status"] != "done":
            return time.perf_counter() - started, 500, json.dumps(job).encode()
        _, status, body = self.get(urlsplit(job["download"]).path)
        self.exports_via_job += 1
        return time.perf_counter() - started, status, body

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's master stops its workers
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None


def _is_export(query: dict) -> bool:
    return query["params"].get("format") in ("csv", "jsonl")


def json_count(body: bytes) -> int | None:
    try:
        return json.loads(body)["count"]
    except (ValueError, KeyError):
        return None


def csv_rows(body: bytes) -> int:
    """Data rows of an export: lines after the '# ...' header lines and the column row."""
    lines = body.decode("utf-8", "replace").splitlines()
    header = next((i for i, line in enumerate(lines) if not line.startswith("# ")), len(lines))
    return max(0, len(lines) - header - 1)


def http_measure(server: Gunicorn, queries: list[dict], repeats: int,
                 engine_pids=lambda: []) -> tuple[dict, list[dict], dict]:
    """Cold: COLD_STARTS fresh gunicorns per query (or the query's own cold_starts), the first request
    of each (p50 and the slowest). Warm: one gunicorn, p50/p95 of repeats (or the query's own). A
    measurement during which other processes were busy is taken again (up to QUIET["attempts"] times);
    engine_pids() are the search engine's servers (a SolrCloud's nodes), whose CPU is the app's own."""
    results = {query["name"]: {} for query in queries}
    live = lambda: ([server.proc.pid] if server.proc else []) + server.worker_pids() + engine_pids()  # noqa: E731
    for query in queries:
        fetch = server.get_export if _is_export(query) else server.get

        def cold():
            server.start()  # a fresh gunicorn for every attempt: only its first request is cold
            try:
                return noise_of(lambda: fetch(query["url"]), live)
            finally:
                server.stop()

        starts = []
        for _ in range(query.get("cold_starts", COLD_STARTS[0])):
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
            count = query.get("repeats", repeats)
            export = _is_export(query)
            fetch = server.get_export if export else server.get
            if export:  # one at a time: each forgets the jobs before it
                for _ in range(WARMUPS):
                    fetch(query["url"])
            else:  # in pairs of concurrent requests, so that both workers have served the page
                with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
                    list(pool.map(server.get, [query["url"]] * (WARMUPS * WORKERS)))

            def warm():
                server.exports_via_job = 0  # counted per attempt: least_noisy() may take the measurement again
                return [fetch(query["url"]) for _ in range(count)]

            responses, others = least_noisy(warm, live, f"warm {query['name']}")
            times = [elapsed for elapsed, _, _ in responses]
            row = results[query["name"]]
            row.update(p50=statistics.median(times), p95=percentile(times, 95), warm_all=times, warm_others_cores=others,
                       statuses=sorted({status for _, status, _ in responses}), bytes=len(responses[-1][2]))
            if query["params"].get("format") == "csv":
                row["count"] = row["rows"] = csv_rows(responses[-1][2])
                row["via_job"] = server.exports_via_job  # of the warm requests
            elif query["path"] == "/search/":
                separator = "&" if "?" in query["url"] else "?"
                json_url = query["url"] if query["params"].get("format") == "json" else query["url"] + separator + "format=json"
                row["count"] = json_count(server.get(json_url)[2])
            log(f"  warm  {query['name']:<40} p50 {row['p50'] * 1000:9.1f} ms  p95 {row['p95'] * 1000:9.1f} ms (others {others:.2f} cores)")
        memory = server.memory()
    finally:
        server.stop()
    return results, memory, {"p50": statistics.median(floor), "p95": percentile(floor, 95)}
