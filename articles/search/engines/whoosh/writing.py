"""Writing Whoosh indexes: replace and delete documents in one commit, fill a fresh index fast."""

from collections.abc import Iterable, Sequence

from haystack.constants import ID
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from articles.models import Article

from ...documents import document_id, search_document
from .searchers import unmapped_index
from .segment_merging import merge_small_segments
from .segment_writing import segment_writer_tuned

WRITER_LOCK_TIMEOUT = 60.0  # seconds to wait for Whoosh's own lock (e.g. a writer not under index_write_lock)
PARALLEL_BATCH = 200  # documents per job file handed to a sub-writer


def whoosh_fields(backend, article: Article) -> dict | None:
    """The article's document as Whoosh field values, or None to skip it."""
    document = search_document(article)
    if document is None:
        return None
    return {key: backend._from_python(value) for key, value in document.items()}


def whoosh_replace(backend, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
    """Replace the documents of these articles and delete those of removed_ids: one writer, one commit.

    What haystack's update() and remove() do, without their per-document cost: update()
    calls Whoosh's update_document, which opens a new searcher over every segment for
    each document to find the old version (the cost grows with the index); here one
    searcher serves the whole batch. Segments are read without mmap: Whoosh copies each
    memory-mapped segment file into memory when a reader opens it (the whole index, per
    open), while a plain file is read only where the lookup needs it.
    Callers hold index_write_lock, so no other Newsdesk process writes meanwhile.
    """
    if not backend.setup_complete:
        backend.setup()
    documents = [whoosh_fields(backend, article) for article in articles]
    index = unmapped_index(backend)
    writer = index.writer(timeout=WRITER_LOCK_TIMEOUT)
    segment_writer_tuned(writer)
    try:
        with writer.searcher() as searcher:
            for article_id in [article.id for article in articles] + sorted(removed_ids):
                writer.delete_by_term(ID, document_id(article_id), searcher=searcher)
        for fields in documents:
            if fields is not None:
                writer.add_document(**fields)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=merge_small_segments)  # the small segments Whoosh's MERGE_SMALL would merge, copied
    backend.index = backend.index.refresh()


def bulk_add(backend, batches: Iterable[Sequence[Article]], processes: int = 1) -> int:
    """Add documents to an empty index with one Whoosh writer and one commit.

    haystack's update() opens a writer, replaces each document by id and commits per
    batch; into a fresh index none of that is needed, and one commit saves the repeated
    segment merges (STACK.md: rebuild time grows faster than linearly otherwise).
    With processes > 1 this process prepares the documents and that many sub-processes
    analyse and write them, one segment each (Whoosh's MpWriter).
    """
    if processes > 1:
        writer = ParallelWriter(backend.index, procs=processes, batchsize=PARALLEL_BATCH, multisegment=True, limitmb=128)
    else:
        writer = backend.index.writer(limitmb=256)
    segment_writer_tuned(writer)
    added = 0
    try:
        for batch in batches:
            for article in batch:
                fields = whoosh_fields(backend, article)
                if fields is not None:
                    writer.add_document(**fields)
                    added += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    backend.index = backend.index.refresh()
    return added


class ParallelWriter(MpWriter):
    """Whoosh's MpWriter with tuned sub-writers (segment_writing), and a cancel that stops them.

    MpWriter.cancel() only flags its copies of the sub-process objects: the sub-processes
    would wait for jobs forever and keep the command from exiting.
    """

    def _new_task(self):
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self):
        for task in self.tasks:
            task.terminate()
            task.join()
        SegmentWriter.cancel(self)


class _SubWriter(SubWriterTask):
    def run(self):
        # A forked process of its own: changing its SegmentWriter class changes nobody else's.
        original_init = SegmentWriter.__init__

        def init_tuned(writer, *args, **kwargs):
            original_init(writer, *args, **kwargs)
            segment_writer_tuned(writer)

        SegmentWriter.__init__ = init_tuned
        super().run()
