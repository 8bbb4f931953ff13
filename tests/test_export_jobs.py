"""Exports larger than one request: a job with a page that shows progress, then a whole file to download."""

import csv
import datetime
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from exports import jobs
from exports.models import ExportJob

from .pages import parse, text_of

Status = ExportJob.Status


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    settings.EXPORT_INLINE_ROWS = 2  # the small archive's views of 3 or 4 articles become jobs
    return settings.EXPORT_DIR


@pytest.fixture
def runner(monkeypatch):
    """Jobs are written when the runner is started, in this thread (a web process starts a thread)."""
    started = []

    def run_here():
        started.append(True)
        jobs.export_jobs_run()

    monkeypatch.setattr(jobs, "start_runner", run_here)
    return started


@pytest.fixture
def no_runner(monkeypatch):
    """Jobs wait: nothing writes them until the test says so."""
    monkeypatch.setattr(jobs, "start_runner", lambda: None)


def job_page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response)


def test_a_large_export_becomes_a_job_whose_file_is_whole(client, small_archive, export_dir, runner, settings):
    response = client.get("/search/", {"q": "officials", "format": "csv"})
    assert response.status_code == 303
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.token}/"
    page = job_page(client, response["Location"])
    status = page.select_one("main [role=status]")
    assert text_of(status).startswith("Ready:")
    assert page.select_one("meta[http-equiv=refresh]") is None  # finished: no more reloading
    link = status.select_one("a.export-job__download")
    today = timezone.now().strftime("%Y-%m-%d")
    assert link["href"] == f"/exports/{job.token}/newsdesk-officials-{today}.csv"
    assert text_of(link) == f"newsdesk-officials-{today}.csv"

    download = client.get(link["href"])
    body = b"".join(download.streaming_content)
    assert download["Content-Length"] == str(len(body))
    assert download["Content-Disposition"] == f'attachment; filename="newsdesk-officials-{today}.csv"'
    assert download["Link"] == '<http://testserver/search/?q=officials>; rel="alternate"; type="text/html"'
    # The same rows as the whole file sent at once when the view is small enough.
    settings.EXPORT_INLINE_ROWS = 100
    at_once = client.get("/search/", {"q": "officials", "format": "csv"})
    assert at_once.status_code == 200
    assert body == at_once.content
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert sorted(row["headline"] for row in rows) == sorted(article.headline for article in small_archive.values())


def test_waiting_and_running_pages_reload_themselves_and_show_progress(client, small_archive, export_dir, no_runner):
    response = client.get("/search/", {"actor": "russia", "format": "jsonl"})
    job = ExportJob.objects.get()
    page = job_page(client, response["Location"])
    assert page.select_one("meta[http-equiv=refresh]")["content"] == "3"
    assert text_of(page.select_one("main [role=status]")).startswith("Waiting to be written")
    assert page.select_one("main a[href='']") is not None  # reload by hand, without JavaScript

    ExportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, rows_written=1, heartbeat=timezone.now(), attempts=1)
    page = job_page(client, response["Location"])
    assert page.select_one("meta[http-equiv=refresh]") is not None
    assert text_of(page.select_one("main [role=status]")) == "Being written: 1 of about 3 rows (33%). 33%"
    assert page.select_one("progress")["value"] == "33"
    ExportJob.objects.filter(pk=job.pk).update(rows_written=12_500, expected_rows=250_000)
    status = job_page(client, response["Location"]).select_one("main [role=status]")
    assert text_of(status).startswith("Being written: 12,500 of about 250,000 rows (5%).")
    ExportJob.objects.filter(pk=job.pk).update(rows_written=1, expected_rows=3)

    data = json.loads(client.get(response["Location"], {"format": "json"}).content)
    assert data | {"created": None} == {
        "status": "running", "format": "jsonl", "query": "", "filters": "actor: Russia", "as_of": None,
        "view": "http://testserver/search/?actor=russia", "expected_rows": 3, "rows_written": 1, "size": None,
        "download": None, "error": None, "created": None, "finished": None, "expires": None,
    }


def test_a_script_polls_the_json_until_the_download_is_ready(client, small_archive, export_dir, runner):
    location = client.get("/search/", {"q": "officials", "format": "jsonl"})["Location"]
    data = json.loads(client.get(location, {"format": "json"}).content)
    assert data["status"] == "done" and data["rows_written"] == 4 and data["error"] is None
    download = client.get(data["download"].removeprefix("http://testserver"))
    lines = [json.loads(line) for line in b"".join(download.streaming_content).decode().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(article.pk for article in small_archive.values())
    assert data["size"] == int(download["Content-Length"])


def test_the_same_view_asked_again_joins_its_job(client, small_archive, export_dir, no_runner):
    first = client.get("/search/", {"q": "officials", "format": "csv"})["Location"]
    again = client.get("/search/", {"q": "officials", "format": "csv", "page": "3"})["Location"]
    other_format = client.get("/search/", {"q": "officials", "format": "jsonl"})["Location"]
    assert first == again != other_format
    assert ExportJob.objects.count() == 2


def test_one_client_waits_for_a_few_exports_at_most(client, small_archive, export_dir, no_runner, settings):
    settings.EXPORT_JOBS_PER_CLIENT = 2
    assert client.get("/search/", {"q": "officials", "format": "csv"}).status_code == 303
    assert client.get("/search/", {"q": "officials", "format": "jsonl"}).status_code == 303
    response = client.get("/search/", {"actor": "russia", "format": "csv"})
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "2 exports being prepared" in text_of(parse(response).select_one("main [role=alert]"))
    other = client.get("/search/", {"actor": "russia", "format": "csv"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 303


def test_behind_the_proxy_each_client_has_its_own_few_exports(client, small_archive, export_dir, no_runner, settings):
    """nginx connects from 127.0.0.1 (a trusted proxy) and names the client in X-Forwarded-For."""
    settings.EXPORT_JOBS_PER_CLIENT = 1
    first = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/search/", {"q": "officials", "format": "csv"}, **first).status_code == 303
    assert client.get("/search/", {"actor": "russia", "format": "csv"}, **first).status_code == 429
    second = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert client.get("/search/", {"actor": "russia", "format": "csv"}, **second).status_code == 303
    assert sorted(ExportJob.objects.values_list("client", flat=True)) == ["198.51.100.4", "203.0.113.9"]


def test_the_waiting_line_is_bounded_for_everyone(client, small_archive, export_dir, no_runner, settings):
    settings.EXPORT_JOBS_WAITING = 1
    assert client.get("/search/", {"q": "officials", "format": "csv"}).status_code == 303
    response = client.get("/search/", {"actor": "russia", "format": "csv"}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 503
    assert "Too many exports are waiting" in text_of(parse(response).select_one("main [role=alert]"))


def test_a_job_whose_writer_died_is_written_again(client, small_archive, export_dir, runner, settings):
    """A worker killed mid-file stops beating; the next look at the job starts it again."""
    location = client.get("/search/", {"q": "officials", "format": "csv"})["Location"]
    job = ExportJob.objects.get()
    assert job.status == Status.DONE and job.attempts == 1
    long_ago = timezone.now() - settings.EXPORT_STALLED_AFTER - datetime.timedelta(seconds=1)
    ExportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, heartbeat=long_ago, file_name="", finished=None)
    (export_dir / f"{job.token}-1.csv.part").write_text("date,headline\r\nhalf a ro")
    page = job_page(client, location)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)
    assert text_of(page.select_one("main [role=status]")).startswith("Ready:")
    assert (export_dir / job.file_name).read_bytes().count(b"\r\n") == 5  # the column row and 4 rows
    assert [path.name for path in export_dir.iterdir()] == [job.file_name]  # the half file is gone


def test_a_job_that_keeps_dying_fails_visibly(client, small_archive, export_dir, no_runner, settings):
    location = client.get("/search/", {"q": "officials", "format": "csv"})["Location"]
    long_ago = timezone.now() - settings.EXPORT_STALLED_AFTER - datetime.timedelta(seconds=1)
    ExportJob.objects.update(status=Status.RUNNING, heartbeat=long_ago, attempts=jobs.MAX_ATTEMPTS)
    page = job_page(client, location)
    alert = page.select_one("main [role=alert]")
    assert text_of(alert).startswith("The export failed. The export stopped 3 times")
    assert alert.select_one("a")["href"] == "/search/?q=officials&format=csv"
    assert page.select_one("main a.export-job__download") is None
    assert client.get(location.rstrip("/") + "/newsdesk-officials.csv").status_code == 404


def test_a_writer_whose_job_was_taken_over_leaves_no_file(small_archive, export_dir, no_runner):
    job = ExportJob.objects.create(format="csv", params="q=officials", origin="http://testserver", expected_rows=4)
    claimed = jobs.export_job_claim()
    ExportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)  # another writer started it again
    jobs.export_job_write(claimed)
    job.refresh_from_db()
    assert job.status == Status.RUNNING and job.file_name == ""
    assert list(export_dir.iterdir()) == []


def test_a_view_that_no_longer_reads_the_same_fails_with_its_reason(small_archive, export_dir):
    job = ExportJob.objects.create(format="csv", params="actor=vanished", origin="http://testserver", expected_rows=4)
    jobs.export_jobs_run()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error.startswith("The view no longer reads as it did") and "vanished" in job.error


def test_at_most_so_many_jobs_are_written_at_once(small_archive, export_dir, settings):
    settings.EXPORT_JOBS_AT_ONCE = 1
    ExportJob.objects.create(format="csv", params="q=gas", origin="", status=Status.RUNNING, heartbeat=timezone.now())
    waiting = ExportJob.objects.create(format="csv", params="q=officials", origin="")
    assert jobs.export_job_claim() is None
    ExportJob.objects.filter(status=Status.RUNNING).update(status=Status.DONE)
    assert jobs.export_job_claim() == waiting


def test_old_exports_and_stray_files_are_cleaned_up(small_archive, export_dir, runner, client, settings):
    client.get("/search/", {"q": "officials", "format": "csv"})
    old = ExportJob.objects.get()
    old_file = export_dir / old.file_name
    assert old_file.exists()
    ExportJob.objects.update(finished=timezone.now() - settings.EXPORT_KEEP - datetime.timedelta(minutes=1))
    stray = export_dir / "unknown-1.csv.part"
    stray.write_text("left by a killed writer")
    long_ago = (timezone.now() - settings.EXPORT_STALLED_AFTER - datetime.timedelta(seconds=5)).timestamp()
    os.utime(stray, (long_ago, long_ago))
    assert jobs.export_jobs_clean() == 1
    assert not old_file.exists() and not stray.exists()
    assert client.get(old.get_absolute_url()).status_code == 404


def test_the_oldest_files_go_first_when_exports_take_too_much_room(small_archive, export_dir, runner, client, settings):
    client.get("/search/", {"q": "officials", "format": "csv"})
    client.get("/search/", {"q": "officials", "format": "jsonl"})
    first, second = ExportJob.objects.order_by("finished")
    settings.EXPORT_MAX_BYTES = second.size
    jobs.export_jobs_clean()
    assert list(ExportJob.objects.all()) == [second]
    assert [path.name for path in export_dir.iterdir()] == [second.file_name]


def test_a_download_address_ends_in_the_files_name(client, small_archive, export_dir, runner):
    client.get("/search/", {"q": "officials", "format": "csv"})
    job = ExportJob.objects.get()
    response = client.get(f"/exports/{job.token}/whatever.csv")
    assert response.status_code == 302 and response["Location"].endswith(".csv")
    Path(export_dir / job.file_name).unlink()
    assert client.get(response["Location"]).status_code == 404
    assert client.get("/exports/not-a-token/").status_code == 404


def test_with_threads_off_the_command_writes_the_exports(client, small_archive, export_dir, settings, monkeypatch):
    settings.EXPORT_THREADS = False
    monkeypatch.setattr(jobs, "start_runner", lambda: pytest.fail("a web process started a writer"))
    location = client.get("/search/", {"q": "officials", "format": "csv"})["Location"]
    assert text_of(job_page(client, location).select_one("main [role=status]")).startswith("Waiting to be written")
    out = io.StringIO()
    call_command("export_jobs", stdout=out)
    job = ExportJob.objects.get()
    assert out.getvalue() == f"wrote csv export {job.token[:8]}: 4 rows, {job.size:,} bytes\n"
    assert text_of(job_page(client, location).select_one("main [role=status]")).startswith("Ready:")


def test_a_job_whose_index_went_away_fails_with_its_reason(small_archive, export_dir, search_down):
    job = ExportJob.objects.create(format="csv", params="q=officials", origin="http://testserver", expected_rows=4)
    jobs.export_jobs_run()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "The search index could not be read while this export was written. Ask for it again in a few minutes."
    assert list(export_dir.iterdir()) == []


@pytest.mark.parametrize("path", ["/exports/%00/", "/exports/%00x/", "/exports/a%00b/news.csv", "/exports/%E2%80%AE/", "/exports/../"])
def test_a_job_token_that_cannot_be_one_is_a_404_on_every_database(client, transactional_db, path):
    assert client.get(path).status_code == 404
