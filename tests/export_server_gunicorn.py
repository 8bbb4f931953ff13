"""gunicorn settings for tests/test_export_server.py: Newsdesk's own, with export rows loaded slowly on purpose.

EXPORT_TEST_ROW_DELAY seconds per row, and chunks of 10 ids, make a small archive's export
outlast a short worker timeout, as a big archive's would; export upkeep runs every second.
"""

import os
import time
from pathlib import Path

exec((Path(__file__).resolve().parent.parent / "newsdesk" / "gunicorn.conf.py").read_text())  # noqa: S102

_newsdesk_post_worker_init = post_worker_init  # noqa: F821 (defined by the exec above)


def post_worker_init(worker):
    from articles.search import selectors
    from exports import jobs, rows, views

    jobs.UPKEEP_SECONDS = 1.0
    _newsdesk_post_worker_init(worker)

    delay = float(os.environ["EXPORT_TEST_ROW_DELAY"])
    selectors.EXPORT_CHUNK = views.INLINE_CHUNK = 10
    load = rows.RowLoader.load

    def slow_load(self, ids):
        time.sleep(delay * len(ids))
        return load(self, ids)

    rows.RowLoader.load = slow_load
