"""The admin's bulk upload: limits, the form, and unpacking .txt files and a .zip of them for ingest.

An upload over a limit is refused as a whole (nothing is ingested, the page says why); a file that
ingest itself refuses (over the per-file limit, no date, not text) is one refused line among the
results, as on the command line. Each upload is unpacked into a fresh directory and handed to batches.ingest_batch_run.
"""

import contextlib
import logging
import shutil
import stat
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat

from .batches import BatchFile
from .services import MAX_FILE_BYTES

# Operating-system clutter in zips made on a Mac or by `zip -r`: skipped, not refused.
ZIP_CLUTTER_DIRS = {"__MACOSX"}
ZIP_CLUTTER_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
COPY_CHUNK = 64 * 1024
# An upload is ingested within its request (gunicorn's timeout: a minute): anything in UPLOAD_DIR older
# than this was left by a worker killed mid-upload, or a server stopped meanwhile.
LEFTOVER_SECONDS = 3600
log = logging.getLogger(__name__)


@contextlib.contextmanager
def upload_directory() -> Iterator[Path]:
    """A fresh directory in settings.UPLOAD_DIR for one upload's files, removed afterwards; what earlier
    uploads left there (a worker killed mid-upload never removes its own) goes first."""
    upload_leftovers_remove()
    with tempfile.TemporaryDirectory(prefix="upload-", dir=settings.UPLOAD_DIR) as directory:
        yield Path(directory)


def upload_leftovers_remove(older_than: float = LEFTOVER_SECONDS) -> int:
    """Remove what uploads left in settings.UPLOAD_DIR (unpacked directories, Django's temporary files)
    more than `older_than` seconds ago; return how many entries went. Another worker may remove them too."""
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    cutoff, removed = time.time() - older_than, 0
    for entry in folder.iterdir():
        try:
            found = entry.lstat()
            if found.st_mtime >= cutoff:
                continue
            if stat.S_ISDIR(found.st_mode):  # lstat: a link to a directory is unlinked, never followed
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # removed by another worker meanwhile
        except OSError as error:  # never a reason to refuse this upload
            log.warning("could not remove %s, left by an earlier upload: %s", entry, error)
            continue
        removed += 1
    return removed


class UploadRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def upload_limits() -> dict:
    """The limits as the page states them."""
    return {
        "max_files": settings.UPLOAD_MAX_FILES,
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "max_file_bytes": settings.UPLOAD_MAX_FILE_BYTES,  # a larger file is refused by ingest, among the results
        "command_max_file_bytes": MAX_FILE_BYTES,
    }


def _too_many_files() -> str:
    return f"More than {settings.UPLOAD_MAX_FILES} files in one upload. Upload them in parts."


def _too_large() -> str:
    return (
        f"The files add up to more than {filesizeformat(settings.UPLOAD_MAX_BYTES)} (a zip's files counted unpacked). "
        "Upload them in parts."
    )


class UploadLimitHandler(FileUploadHandler):
    """Stop reading a request's files past the upload limits, so they never reach memory or disk.

    The page then refuses the upload with request.upload_refusal; the rest of the request is read and dropped.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0
        self.bytes = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        if self.files > settings.UPLOAD_MAX_FILES:
            self._refuse(_too_many_files())

    def receive_data_chunk(self, raw_data, start):
        self.bytes += len(raw_data)
        if self.bytes > settings.UPLOAD_MAX_BYTES:
            self._refuse(_too_large())
        return raw_data  # to the next handler, which keeps it

    def file_complete(self, file_size):
        return None

    def _refuse(self, reason: str):
        if self.request is not None:
            self.request.upload_refusal = reason
        raise StopUpload(connection_reset=False)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files and cleans to a list of them."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file] or super().clean(None)


class UploadForm(forms.Form):
    # An empty file is not a form error: ingest refuses it with its reason, as on the command line.
    files = MultipleFileField(
        label="Files",
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ".txt,.zip"}),
        help_text="Several .txt files, and/or one .zip of .txt files.",
    )

    def __init__(self, *args, refusal: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal  # set by UploadLimitHandler when it stopped reading the request
        if refusal:
            self.fields["files"].required = False  # its files were dropped; say why instead

    def clean_files(self):
        if self.refusal:
            raise forms.ValidationError(self.refusal)
        return self.cleaned_data["files"]


# [a.txt, news.zip (x/b.txt, __MACOSX/._b.txt)]
#   -> [BatchFile(dir/0001/a.txt, "a.txt"), BatchFile(dir/0002/b.txt, "news.zip/x/b.txt")]
def upload_unpack(*, uploads, directory: Path) -> list[BatchFile]:
    """Check an upload against the limits and write its .txt files under directory; raise UploadRefused.

    Each file gets its own subdirectory, so names may repeat and the article's source is the file's own name.
    """
    try:
        return _unpack(uploads, directory)
    except OSError as error:  # e.g. a file name the file system does not take
        # Its strerror, not str(error): that names the file under the server's temporary directory.
        raise UploadRefused(f"The upload could not be unpacked ({error.strerror or type(error).__name__}).") from error
    except ValueError as error:  # e.g. a NUL in a file name
        raise UploadRefused(f"The upload could not be unpacked ({error}).") from error


def _unpack(uploads, directory: Path) -> list[BatchFile]:
    zips = [upload for upload in uploads if upload.name.lower().endswith(".zip")]
    if len(zips) > 1:
        raise UploadRefused("Upload one .zip at a time.")
    for upload in uploads:
        if not upload.name.lower().endswith((".txt", ".zip")):
            raise UploadRefused(f"“{upload.name}” is not a .txt or .zip file.")
    loose = [upload for upload in uploads if upload not in zips]
    written, total = [], 0
    for upload in loose:
        total += upload.size
        _check_totals(len(written) + 1, total)
        target = _target(directory, len(written), upload.name)
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        written.append(BatchFile(target, upload.name))
    for upload in zips:
        written += _zip_unpack(upload, directory, start=len(written), total=total)
    if not written:
        raise UploadRefused("The upload holds no .txt files.")
    return written


def _zip_unpack(upload, directory: Path, *, start: int, total: int) -> list[BatchFile]:
    """Check every entry of the zip before writing any, then write its .txt files, counting what is unpacked."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = [entry for entry in archive.infolist() if not _clutter(entry)]
            for entry in entries:
                _check_entry(upload.name, entry)
            _check_totals(start + len(entries), total + sum(entry.file_size for entry in entries))
            written = []
            for entry in entries:
                name = entry.filename.replace("\\", "/")
                target = _target(directory, start + len(written), PurePosixPath(name).name)
                with archive.open(entry) as source, open(target, "wb") as out:
                    # The declared size is only a claim: count what really comes out (a zip bomb lies).
                    while chunk := source.read(COPY_CHUNK):
                        total += len(chunk)
                        _check_totals(start + len(written) + 1, total)
                        out.write(chunk)
                written.append(BatchFile(target, f"{upload.name}/{name}"))
            return written
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise UploadRefused(f"“{upload.name}” is not a readable zip file ({error}).") from error
    except NotImplementedError as error:  # a compression method zipfile cannot read
        raise UploadRefused(f"“{upload.name}” uses a compression this site cannot read ({error}).") from error


def _clutter(entry: zipfile.ZipInfo) -> bool:
    """True for directories and operating-system files in a zip, which are skipped."""
    parts = PurePosixPath(entry.filename.replace("\\", "/")).parts
    return entry.is_dir() or not parts or parts[0] in ZIP_CLUTTER_DIRS or parts[-1] in ZIP_CLUTTER_FILES


def _check_entry(zip_name: str, entry: zipfile.ZipInfo) -> None:
    """Refuse the upload for an entry that is not a plain .txt file at a relative path inside the zip."""
    name = entry.filename.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in PurePosixPath(name).parts:
        raise UploadRefused(f"“{zip_name}” holds “{entry.filename}”, a path outside the zip.")
    if not name.lower().endswith(".txt"):
        raise UploadRefused(f"“{zip_name}” holds “{entry.filename}”: a zip may hold only .txt files.")
    if entry.flag_bits & 0x1:
        raise UploadRefused(f"“{zip_name}” holds “{entry.filename}”, which is encrypted.")


def _check_totals(files: int, size: int) -> None:
    if files > settings.UPLOAD_MAX_FILES:
        raise UploadRefused(_too_many_files())
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(_too_large())


def _target(directory: Path, n: int, name: str) -> Path:
    """directory/0001/name: one subdirectory per file, so two files may share a name."""
    folder = directory / f"{n + 1:04d}"
    folder.mkdir()
    return folder / name
