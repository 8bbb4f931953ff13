"""locust users for run.py: each picks a page kind by weight, then one of its URLs, with no think time.

Reads the mix from $LOADTEST_MIX ({"kind": {"weight": 10, "urls": [...]}}) and appends one JSON
line per finished request to $LOADTEST_SAMPLES:
{"kind": "search phrase", "url": "/search/?q=...", "ms": 412.3, "status": 200, "outcome": "ok", "error": null}
outcome: ok (2xx/3xx), http (any other status), socket (connection refused/reset/closed),
timeout (no answer within $LOADTEST_TIMEOUT s), body (a JSON or CSV answer that does not parse).
Redirects are not followed: a 3xx counts as answered.
"""

import csv
import io
import json
import os
import random
import time

from locust import FastHttpUser, events, task
from locust.user.wait_time import constant

MIX = json.loads(open(os.environ["LOADTEST_MIX"]).read())
KINDS = list(MIX)
WEIGHTS = [MIX[kind]["weight"] for kind in KINDS]
TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "30"))
SAMPLES = open(os.environ["LOADTEST_SAMPLES"], "a", buffering=1)


def outcome_of(status: int, error) -> str:
    """Name what went wrong: http, timeout, body or socket."""
    if isinstance(error, BodyError):
        return "body"
    text = f"{type(error).__name__} {error}".lower()
    if "timeout" in text or "timed out" in text:
        return "timeout"
    if status and not 200 <= status < 400:
        return "http"
    return "socket"


class BodyError(Exception):
    """A 200 whose JSON or CSV body does not parse."""


class Reader(FastHttpUser):
    wait_time = constant(0)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT
    max_retries = 0

    def on_start(self):
        self.rng = random.Random()

    @task
    def read(self):
        kind = self.rng.choices(KINDS, WEIGHTS)[0]
        url = self.rng.choice(MIX[kind]["urls"])
        with self.client.get(url, name=kind, catch_response=True, allow_redirects=False) as response:
            status = response.status_code or 0
            error = response.request_meta["exception"] or getattr(response, "error", None)
            if error is None and not 200 <= status < 400:
                error = f"HTTP {status}"
            elif error is None and status < 300:
                error = check_body(url, response)
            outcome = "ok" if error is None else outcome_of(status, error)
            if error is None:
                response.success()
            else:
                response.failure(error)
            SAMPLES.write(json.dumps({
                "kind": kind, "url": url, "t": round(time.time(), 3), "ms": round(response.request_meta["response_time"], 1), "status": status,
                "outcome": outcome, "error": describe(error),
            }) + "\n")


def describe(error) -> str | None:
    if error is None or isinstance(error, str):
        return error
    return f"{type(error).__name__}: {error}"[:300]


def check_body(url: str, response):
    """Return a BodyError when a JSON or CSV answer cannot be read, else None."""
    try:
        if "format=json" in url:
            data = json.loads(response.text)
            if "count" not in data:
                return BodyError("JSON without count")
        elif "format=csv" in url:
            rows = list(csv.reader(io.StringIO(response.text)))
            if not rows:
                return BodyError("empty CSV")
    except ValueError as error:
        return BodyError(f"unreadable body: {error}")
    return None


@events.quitting.add_listener
def close_samples(environment, **kwargs):
    SAMPLES.close()
