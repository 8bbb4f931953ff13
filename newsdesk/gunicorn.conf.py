"""gunicorn settings for Newsdesk; override any of them with GUNICORN_* environment variables."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
logger_class = "newsdesk.log_redaction.TokenRedactingLogger"  # feed, share and export tokens never reach the log
wsgi_app = "newsdesk.wsgi:application"


def on_starting(server):
    """Refuse to serve with Django's DEBUG on: it shows tracebacks and settings to anyone."""
    if os.environ.get("NEWSDESK_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise SystemExit("NEWSDESK_DEBUG is on: gunicorn will not serve Newsdesk in debug mode.")


def post_worker_init(worker):
    """Open the index, load what searches need and serve itself sample pages before taking a request.

    Then freeze what that left in memory: it lives as long as the worker, and otherwise the
    first full garbage collection of a request walks all of it (54 ms at 100k articles).
    """
    import gc

    from articles.search.upkeep import start_upkeep_thread
    from articles.warmup import warm_up
    from exports.jobs import start_export_upkeep

    warm_up(worker.wsgi)
    gc.collect()
    gc.freeze()
    start_upkeep_thread()  # drains what a killed ingest left queued, rebuilds a lost index
    start_export_upkeep()  # finishes exports whose writer died, deletes old ones
