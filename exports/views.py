"""Export requests: a small view is answered at once, a large one becomes a job with a page and a download.

Every answer either is the whole file, with its Content-Length (a client cut off mid-way sees a
short read, never a file that looks whole), or says what happens instead: 303 to the job's page,
400 when a parameter was ignored (an export is never wider than asked), 429/503 when too many
exports are waiting.
"""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from articles.forms import SearchFilters
from articles.search.selectors import first_matching_ids
from newsdesk.client_address import client_address

from .atom import atom_feed
from .formats import FORMATS, export_description, export_filename, export_text, view_link
from .jobs import ExportRefused, export_job_request, export_jobs_kick, job_filters, queue_position
from .models import ExportJob
from .rows import export_rows

EXPORT_FORMATS = ("atom", *FORMATS)
INLINE_CHUNK = 500
REFRESH_SECONDS = 3


def request_origin(request: HttpRequest) -> str:
    """What every absolute link in an export starts with: "https://news.example.org"."""
    return f"{request.scheme}://{request.get_host()}"


def export_response(request: HttpRequest, filters: SearchFilters, notices: list[str], name: str) -> HttpResponse:
    """The view's export in format `name` (one of EXPORT_FORMATS)."""
    if notices:
        return _refused(request, filters, notices, 400)
    origin = request_origin(request)
    if name == "atom":
        feed = atom_feed(filters, origin)
        return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    view = filters.replace(page=1)
    first = first_matching_ids(view, settings.EXPORT_INLINE_ROWS)
    if first.count <= settings.EXPORT_INLINE_ROWS:
        return _whole_file(view, FORMATS[name], first.ids, origin)
    try:
        job = export_job_request(
            filters=view, format=name, expected_rows=first.count, origin=origin,
            client=client_address(request), user=request.user,
        )
    except ExportRefused as refused:
        response = _refused(request, filters, [str(refused)], refused.status)
        response["Retry-After"] = "60"
        return response
    export_jobs_kick()
    return HttpResponseRedirect(job.get_absolute_url(), status=303)


def _whole_file(filters: SearchFilters, export_format, ids: list[int], origin: str) -> HttpResponse:
    """A small export built in full before the first byte is sent, with its length."""
    chunks = (ids[start:start + INLINE_CHUNK] for start in range(0, len(ids), INLINE_CHUNK))
    body = "".join(export_text(export_format, export_rows(chunks, origin))).encode()
    response = HttpResponse(body, content_type=export_format.content_type)
    response["Content-Length"] = str(len(body))
    filename = export_filename(filters.q, timezone.now().date(), export_format.name)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = view_link(origin + filters.url())
    return response


def _refused(request: HttpRequest, filters: SearchFilters, reasons: list[str], status: int) -> HttpResponse:
    context = {"reasons": reasons, "view_url": filters.replace(page=1).url(), "status": status}
    return render(request, "exports/refused.html", context, status=status)


def export_job(request: HttpRequest, token: str) -> HttpResponse:
    """A background export's page: waiting, progress, then the download link (reloads itself until finished)."""
    job = get_object_or_404(ExportJob, token=token)
    if not job.is_finished:
        export_jobs_kick()  # a writer that died is replaced; a waiting job gets one
        job.refresh_from_db()
    filters, _ = job_filters(job)
    download_url = _download_url(job, filters) if job.status == ExportJob.Status.DONE else None
    if request.GET.get("format") == "json":
        return JsonResponse(_job_json(request, job, filters, download_url), json_dumps_params={"ensure_ascii": False})
    context = {
        "job": job,
        "rows_written": f"{job.rows_written:,}",  # 250,000
        "expected_rows": f"{job.expected_rows:,}",
        "description": filters.describe(),
        "view_url": filters.url(),
        "again_url": filters.url(format=job.format),
        "download_url": download_url,
        "download_name": download_url.rsplit("/", 1)[1] if download_url else None,
        "ahead": queue_position(job) if job.status == ExportJob.Status.QUEUED else 0,
        "expires": job.finished + settings.EXPORT_KEEP if job.finished else None,
        "refresh": None if job.is_finished else REFRESH_SECONDS,
        "json_url": "?format=json",
    }
    return render(request, "exports/job.html", context)


def _download_url(job: ExportJob, filters: SearchFilters) -> str:
    return reverse("export_download", args=[job.token, export_filename(filters.q, job.created.date(), job.format)])


def _job_json(request: HttpRequest, job: ExportJob, filters: SearchFilters, download_url: str | None) -> dict:
    """The job for scripts: poll until status is "done" (then fetch download) or "failed" (then read error)."""
    return {
        "status": job.status,
        "format": job.format,
        **export_description(filters, job.origin),
        "expected_rows": job.expected_rows,
        "rows_written": job.rows_written,
        "size": job.size,
        "download": request.build_absolute_uri(download_url) if download_url else None,
        "error": job.error or None,
        "created": job.created.isoformat(timespec="seconds"),
        "finished": job.finished.isoformat(timespec="seconds") if job.finished else None,
        "expires": (job.finished + settings.EXPORT_KEEP).isoformat(timespec="seconds") if job.finished else None,
    }


def export_download(request: HttpRequest, token: str, file_name: str) -> HttpResponse:
    """The finished file, with its length; the address ends in the file's own name (for wget and curl -O)."""
    job = get_object_or_404(ExportJob, token=token, status=ExportJob.Status.DONE)
    filters, _ = job_filters(job)
    url = _download_url(job, filters)
    if not url.endswith("/" + file_name):
        return redirect(url)
    path = Path(settings.EXPORT_DIR) / job.file_name
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise Http404("This export's file was removed; ask for the export again.") from None
    export_format = FORMATS[job.format]
    response = FileResponse(handle, as_attachment=True, filename=file_name, content_type=export_format.content_type)
    response["Link"] = view_link(job.origin + filters.url())
    return response
