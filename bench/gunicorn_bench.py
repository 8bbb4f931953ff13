"""gunicorn config for bench/run.py: the app's own newsdesk/gunicorn.conf.py plus a readiness signal.

Each worker touches $BENCH_READY_DIR/<pid> once it has loaded the app, so the benchmark
can wait for both workers without sending a request that would warm one of them.
"""
import os
from pathlib import Path

exec(compile(Path("newsdesk/gunicorn.conf.py").read_text(), "newsdesk/gunicorn.conf.py", "exec"))


def post_worker_init(worker):
    Path(os.environ["BENCH_READY_DIR"], str(worker.pid)).touch()
