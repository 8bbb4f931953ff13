"""The files of a batch read, checked and extracted ahead of the one being stored, extraction in worker processes.

Storing a file (the database, one short transaction) and extracting one (pure Python, ~10 ms for
a news article) each keep a core busy. With workers, the next files' extraction runs in forked
processes while this one stores, and a large batch takes about the longer of the two instead of
their sum. Nothing else changes: files are read, and checked against the archive for the same
text (a duplicate is not extracted), one at a time in the batch's order, and come back in that
order; the registry is the batch's, compiled before the workers start. Without workers the next
file is read, checked and extracted only when its turn comes: one file after another.

    ahead = FilesAhead(files, registry=registry, workers=2)
    with ahead:
        while not ahead.finished():
            ahead.read_next()          # reads and checks files (database queries): a step the batch can retry
            file, outcome = ahead.take()   # an IngestResult (refused, duplicate) or a PreparedArticle
"""

import collections
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from django.db import connections

from .extraction import ActorRegistry
from .ingest import ParsedArticle
from .prepare import PreparedArticle, article_prepare
from .services import MAX_FILE_BYTES, IngestResult, article_read, article_stored, existing_result, topic_rules

FILES_PER_WORKER = 4  # files read and handed out ahead, per worker: enough that none waits for the next


class FilesAhead:
    def __init__(self, files: list, *, registry: ActorRegistry, max_bytes: int = MAX_FILE_BYTES, workers: int = 0):
        self.files, self.registry, self.max_bytes, self.workers = list(files), registry, max_bytes, workers
        self.ahead = FILES_PER_WORKER * workers if workers else 1
        self.pending: collections.deque = collections.deque()  # (file, IngestResult | (ParsedArticle, Future | rules))
        self.read = 0  # files read so far
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "FilesAhead":
        if self.workers:
            connections.close_all()  # forked workers must not share this process's database connections
            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_started, initargs=(self.registry, os.getpid()))
            self.executor.submit(os.getpid).result()  # forks every worker now, before this process queries again
        return self

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)  # a failed batch waits for the few files in hand

    def finished(self) -> bool:
        return not self.pending and self.read == len(self.files)

    def read_next(self) -> None:
        """Read and check files until enough are in hand; each is handed out to be extracted once it is checked.

        Database queries (the same text stored already, the topic rules): when one fails, the files
        checked before it stay in hand and the call can be repeated.
        """
        while len(self.pending) < self.ahead and self.read < len(self.files):
            file = self.files[self.read]
            parsed = article_read(file.path, name=file.name, max_bytes=self.max_bytes)
            if isinstance(parsed, IngestResult):
                outcome = parsed
            elif existing := article_stored(parsed.fingerprint):
                outcome = existing_result(file.name, existing)  # not extracted: a re-run of a batch costs little
            else:
                rules = topic_rules()
                extraction = self.executor.submit(_prepared, parsed, rules) if self.executor else rules
                outcome = (parsed, extraction)
            self.pending.append((file, outcome))
            self.read += 1

    def take(self) -> tuple:
        """The next file in the batch's order with its IngestResult or its PreparedArticle (waiting for its extraction)."""
        file, outcome = self.pending.popleft()
        if isinstance(outcome, IngestResult):
            return file, outcome
        parsed, extraction = outcome
        if isinstance(extraction, Future):
            signature, found = extraction.result()
            return file, PreparedArticle(parsed=parsed, signature=signature, extraction=found)
        return file, article_prepare(parsed, self.registry, extraction)


_registry: ActorRegistry | None = None


def _worker_started(registry: ActorRegistry, parent: int) -> None:
    """In a worker: keep the batch's registry, leave Ctrl-C to the batch, and end when the batch's process does."""
    global _registry
    _registry = registry
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)  # the ingest was killed: nothing of ours is half-written (workers write nothing)


def _prepared(parsed: ParsedArticle, rules) -> tuple:
    """In a worker: the signature and extraction of one article (its text stays with the batch's process)."""
    prepared = article_prepare(parsed, _registry, rules)
    return prepared.signature, prepared.extraction
