"""Time merging an archive's small Whoosh segments: Whoosh's own merge against segment_merging's block copy.

    .venv/bin/python bench/segment_merge_speed.py --archive bench/var/100k              # its segments of <= 500 articles
    .venv/bin/python bench/segment_merge_speed.py --archive bench/var/100k --deleted 25  # 25 deleted in each of them first

--archive is a directory holding data/ (as bench/run.py builds bench/var/100k); its index is copied
under bench/var/segment-merge-speed/ (or --work) and never changed. On each copy the segments of at
most --max-docs documents are merged into one, as a drain's commit merges them (the index read
without mmap, the writer tuned by segment_writing): once the way Whoosh's MERGE_SMALL does (each
segment's documents and postings fed back through the writer: writer.add_reader), once by
segment_merging.merged_segment. Wall and CPU seconds of each; tests/search/test_whoosh_merging.py
shows that both give the same segment.
"""

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "var" / "segment-merge-speed"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True, help="a directory holding data/ (its index is copied)")
    parser.add_argument("--max-docs", type=int, default=500, help="merge the segments of at most this many documents")
    parser.add_argument("--deleted", type=int, default=0, help="documents deleted in each of them before merging")
    parser.add_argument("--work", type=Path, default=WORK, help=f"where the copies go (default {WORK})")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from articles.search.engines.whoosh.segment_writing import segment_writer_tuned

    source = (args.archive / "data" / "whoosh").resolve()
    if not source.is_dir():
        raise SystemExit(f"{source} is not an index directory: --archive takes a directory with data/whoosh inside")
    for name, merge in (("Whoosh (add_reader, as MERGE_SMALL)", whoosh_merge), ("block copy (segment_merging)", copy_merge)):
        index = copied_index(source, args.work, args.deleted, args.max_docs)
        writer = index.writer()
        segment_writer_tuned(writer)  # as a drain's writer is
        chosen = [segment for segment in writer.segments if segment.doc_count_all() <= args.max_docs]
        if len(chosen) < 2:
            raise SystemExit(f"fewer than two segments of at most {args.max_docs} documents in {source}")
        wall, cpu = time.perf_counter(), time.process_time()
        writer.commit(mergetype=lambda writer, segments: merge(writer, segments, chosen))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        live = sum(segment.doc_count() for segment in chosen)
        print(f"{name:38s} {len(chosen)} segments, {live:,} live documents: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    shutil.rmtree(args.work, ignore_errors=True)


def copied_index(source: Path, work: Path, deleted: int, max_docs: int):
    """A copy of the index, read without mmap (as drains read it), with `deleted` documents deleted in each small segment."""
    from whoosh.filedb.filestore import FileStorage

    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work / "whoosh")
    index = FileStorage(str(work / "whoosh"), supports_mmap=False).open_index()
    if deleted:
        writer, offset, rng = index.writer(), 0, random.Random(1)
        for segment in writer.segments:
            if segment.doc_count_all() <= max_docs:
                for docnum in rng.sample(range(segment.doc_count_all()), min(deleted, segment.doc_count_all())):
                    writer.delete_document(offset + docnum)
            offset += segment.doc_count_all()
        writer.commit(merge=False)
        index = FileStorage(str(work / "whoosh"), supports_mmap=False).open_index()
    return index


def whoosh_merge(writer, segments, chosen):
    from whoosh.reading import SegmentReader

    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]


def copy_merge(writer, segments, chosen):
    from articles.search.engines.whoosh.segment_merging import merged_segment

    return [segment for segment in segments if segment not in chosen] + [merged_segment(writer, chosen)]


if __name__ == "__main__":
    main()
