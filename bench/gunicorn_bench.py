"""gunicorn config for bench/run.py: the app's own newsdesk/gunicorn.conf.py plus a readiness signal.

Each worker touches $BENCH_READY_DIR/<pid> once it has loaded the app (and run the app's own
post_worker_init, as in production), so the benchmark can wait for both workers without
sending a request that would warm one of them.
"""
import os
from pathlib import Path

exec(compile(Path("newsdesk/gunicorn.conf.py").read_text(), "newsdesk/gunicorn.conf.py", "exec"))


_app_post_worker_init = globals().get("post_worker_init")


def post_worker_init(worker):
    if _app_post_worker_init:
        _app_post_worker_init(worker)
    Path(os.environ["BENCH_READY_DIR"], str(worker.pid)).touch()
