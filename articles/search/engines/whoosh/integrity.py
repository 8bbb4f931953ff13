"""Notice a damaged Whoosh index: a checksum of every file of the live generation, checked by health().

Whoosh reads a segment file with a few random bytes overwritten without complaint and answers
wrongly (a search for "minister" quietly missed documents). Segment files and tables of contents
never change once written (deletions go into a new table of contents), so each file's size and
CRC-32 are recorded once, beside the index (RECORDS/), when a writer commits it or, failing that,
when health() first sees it; health() then checks every file of the current generation:
- cheaply on each call: a file whose size, modification time or inode changed is read again;
- thoroughly every RECHECK_EVERY seconds per process (the first look of a process reads every
  file, so the first thorough check comes RECHECK_EVERY later): every file is read again (bit rot
  that kept the modification time), in a thread of its own so no request waits for it.
A file that no longer matches its record makes the index unavailable (IndexDamaged): text
searches answer 503, browsing comes from the database, and the upkeep rebuilds the index.
"""

import json
import logging
import os
import shutil
import tempfile
import threading
import time
import zlib
from pathlib import Path

from ..base import SearchUnavailable
from .searchers import generation_toc, index_files

RECORDS = "newsdesk-checksums"  # a directory inside the index directory: one JSON record per file
RECHECK_EVERY = 600.0  # seconds between thorough checks of a process's files
CHUNK = 1 << 20
GENERATION_ATTEMPTS = 3  # looks at the newest generation when writers keep replacing it
log = logging.getLogger(__name__)


class IndexDamaged(SearchUnavailable):
    """A file of the index differs from what was written: answers from it would be wrong."""


_lock = threading.Lock()
_seen: dict[str, tuple] = {}  # path -> (size, mtime_ns, inode) when it last matched its record
_damage: dict[str, str] = {}  # index directory -> what the thorough check found
_last_thorough: dict[str, float] = {}
_thorough_running: set[str] = set()
_generations: dict[tuple, list[str]] = {}  # (directory, table of contents, its stat) -> the generation's files


def index_verify(path: Path, indexname: str = "MAIN") -> None:
    """Raise IndexDamaged when a file of the index's current generation no longer matches its record.

    Files without a record are recorded now (written since the last look). Starts a thorough
    re-read in the background when this process last did one RECHECK_EVERY seconds ago.
    """
    directory = str(path)
    with _lock:
        damage = _damage.pop(directory, None)
    if damage:
        raise IndexDamaged(damage)
    for attempt in range(GENERATION_ATTEMPTS):
        try:
            for name in generation_files(path, indexname):
                _check(path, name, thorough=False)
            break
        except FileNotFoundError:
            # A writer committed a newer generation meanwhile and deleted this one's files: look at
            # the newest. A file still missing then is missing (the caller reports it unreadable).
            if attempt == GENERATION_ATTEMPTS - 1:
                raise
    _thorough_soon(path, indexname)


def index_record(path: Path, indexname: str = "MAIN") -> None:
    """Record every file of the current generation that has no record yet, and forget those of files gone.

    Writers call this after each commit (under the index write lock).
    """
    names = set(generation_files(path, indexname))
    for name in names:
        if _record_of(path, name) is None:
            _write_record(path, name, _measure(path / name))
    records = path / RECORDS
    if records.is_dir():
        present = set(os.listdir(path))
        for record in records.glob("*.json"):
            if record.stem not in present:
                record.unlink(missing_ok=True)


def index_forget(path: Path) -> None:
    """Drop every record: the index is created anew (its tables of contents start again at the same names)."""
    shutil.rmtree(path / RECORDS, ignore_errors=True)
    with _lock:
        for key in [key for key in _seen if key.startswith(f"{path}{os.sep}")]:
            del _seen[key]


def generation_files(path: Path, indexname: str = "MAIN") -> list[str]:
    """The files the current generation reads: its table of contents and its segments' files.

    Remembered per table of contents (a new generation writes a new one), so that a look costs a
    directory listing, a read of the table of contents without its schema and a few stat() calls,
    not the table's segments unpickled each time.
    """
    index = index_files(str(path), indexname)
    storage, generation = index.storage, index.latest_generation()
    if generation < 0:
        return []
    toc_name = f"_{indexname}_{generation}.toc"  # Whoosh's name for a generation's table of contents
    toc_stat = (path / toc_name).stat()
    key = (str(path), toc_name, toc_stat.st_size, toc_stat.st_mtime_ns, toc_stat.st_ino)
    with _lock:
        if key in _generations:
            return _generations[key]
    toc = generation_toc(index, generation)
    names = [toc_name]
    for segment in toc.segments:
        if segment.is_compound():
            names.append(segment.make_filename(segment.COMPOUND_EXT))
        else:
            names += segment.list_files(storage)
    with _lock:
        _generations.clear()  # one generation at a time: the newest
        _generations[key] = names
    return names


def _check(path: Path, name: str, thorough: bool) -> None:
    file = path / name
    stat = file.stat()
    key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    with _lock:
        if not thorough and _seen.get(str(file)) == key:
            return
    record = _record_of(path, name)
    measured = _measure(file)
    if record is None:
        _write_record(path, name, measured)  # written since the last look: trust it from now on
    elif record != measured:
        with _lock:
            _seen.pop(str(file), None)
        raise IndexDamaged(
            f"the search index is damaged: {name} is not as it was written "
            f"({measured['size']:,} bytes, CRC-32 {measured['crc32']:08x}; recorded {record['size']:,} bytes, "
            f"CRC-32 {record['crc32']:08x})"
        )
    with _lock:
        _seen[str(file)] = key


def _thorough_soon(path: Path, indexname: str) -> None:
    directory = str(path)
    with _lock:
        if directory not in _last_thorough:
            # A process's first look has just read every file whole (it had seen none): its first thorough
            # check. Another at once read the index again while a new worker served its first requests
            # (at 100k articles ~0.3 s of a core beside each, per worker).
            _last_thorough[directory] = time.monotonic()
            return
        if directory in _thorough_running or time.monotonic() - _last_thorough.get(directory, 0.0) < RECHECK_EVERY:
            return
        _thorough_running.add(directory)
        _last_thorough[directory] = time.monotonic()
    threading.Thread(target=_thorough, args=(path, indexname), name="newsdesk-index-check", daemon=True).start()


def _thorough(path: Path, indexname: str) -> None:
    """Read every file of the generation again; remember damage for the next index_verify()."""
    try:
        for name in generation_files(path, indexname):
            _check(path, name, thorough=True)
    except IndexDamaged as damage:
        log.error("%s", damage)
        with _lock:
            _damage[str(path)] = str(damage)
    except (OSError, ValueError, EOFError) as error:  # a generation replaced meanwhile: the next look tells
        log.info("thorough index check skipped: %s", error)
    finally:
        with _lock:
            _thorough_running.discard(str(path))


def _measure(file: Path) -> dict:
    crc, size = 0, 0
    with open(file, "rb") as handle:
        while chunk := handle.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return {"size": size, "crc32": crc}


def _record_of(path: Path, name: str) -> dict | None:
    try:
        return json.loads((path / RECORDS / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


def _write_record(path: Path, name: str, measured: dict) -> None:
    """Write atomically. A read-only index without records cannot get them: its files are trusted as they are."""
    records = path / RECORDS
    try:
        records.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=records, suffix=".tmp", delete=False) as handle:
            json.dump(measured, handle)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, records / f"{name}.json")
    except OSError as error:
        log.warning("could not record the checksum of %s: %s", name, error)
