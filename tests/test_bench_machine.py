"""The benchmark's header says when the kernel pages out idle memory on its own (DAMON): cold figures then include
disk reads; and how many fresh starts each size's cold figures took."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from report import cold_starts, engines_measured, header  # noqa: E402
from report.machine import proactive_reclaim  # noqa: E402


def kdamond(root: Path, n: int, *, state="on", action="pageout", age_min=12, aggr_us=5_000_000, quota=134217728) -> None:
    """A kdamond in DAMON's sysfs layout (/sys/kernel/mm/damon/admin/kdamonds/N) with one context and one scheme."""
    files = {
        "state": state,
        "contexts/nr_contexts": "1",
        "contexts/0/monitoring_attrs/intervals/aggr_us": str(aggr_us),
        "contexts/0/schemes/nr_schemes": "1",
        "contexts/0/schemes/0/action": action,
        "contexts/0/schemes/0/access_pattern/age/min": str(age_min),
        "contexts/0/schemes/0/quotas/bytes": str(quota),
        "contexts/0/schemes/0/quotas/reset_interval_ms": "1000",
    }
    for name, text in files.items():
        path = root / str(n) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")


def test_a_running_pageout_scheme_is_described(tmp_path):
    kdamond(tmp_path, 0)
    assert proactive_reclaim(tmp_path) == "memory idle for 60 s or more (DAMON, at most 128 MiB/s)"


def test_no_damon_stopped_ones_and_other_actions_say_nothing(tmp_path):
    assert proactive_reclaim(tmp_path / "absent") is None
    kdamond(tmp_path, 0, state="off")
    kdamond(tmp_path, 1, action="stat")
    assert proactive_reclaim(tmp_path) is None


def test_the_report_puts_it_on_the_machine_line_only_when_there_is_one():
    info = {"date": "d", "command": "c", "app": "a", "machine": {
        "nproc": 2, "cpu": "AMD EPYC", "memory_gib": 23.5, "kernel": "6.1", "python": "3.11", "django": "5.2",
        "haystack": "3.4", "whoosh": "2.7.4", "gunicorn": "23", "sqlite": "3.40"}}
    line = next(line for line in header([], info) if line.startswith("- Machine:"))
    assert line == "- Machine: 2 CPUs (AMD EPYC), 23.5 GiB RAM, Linux 6.1"
    info["machine"]["reclaim"] = "memory idle for 60 s or more (DAMON, at most 128 MiB/s)"
    line = next(line for line in header([], info) if line.startswith("- Machine:"))
    assert line.startswith("- Machine: 2 CPUs (AMD EPYC), 23.5 GiB RAM, Linux 6.1; the kernel pages out memory idle for 60 s")


def test_a_scheme_that_vanishes_while_read_is_left_out_not_an_error(tmp_path):
    kdamond(tmp_path, 0)
    (tmp_path / "0/contexts/0/schemes/0/action").unlink()  # a kdamond stopped between listing and reading
    kdamond(tmp_path, 1)
    assert proactive_reclaim(tmp_path) == "memory idle for 60 s or more (DAMON, at most 128 MiB/s)"


def test_the_report_names_the_cold_starts_each_size_was_measured_with():
    """Sizes measured by separate runs may differ (3 at 10k, 2 at 100k); the export's own count is left out."""
    def size(n: int, starts: int) -> dict:
        queries = [{"name": "rare word"}, {"name": "phrase"}, {"name": "CSV export", "cold_starts": 2}]
        http = {"rare word": {"cold_all": [0.01] * starts}, "phrase": {"cold_all": [0.02] * starts},
                "CSV export": {"cold_all": [0.3, 0.3]}}
        return {"n": n, "queries": queries, "http": http}

    assert cold_starts([size(10_000, 3), size(100_000, 2)]) == "3 at 10k, 2 at 100k"
    assert cold_starts([size(10_000, 1), size(100_000, 1)]) == "1 here"
    assert cold_starts([size(2_000, 5)]) == "5 here"


def test_the_engines_line_is_read_from_the_sizes_reported():
    """--report --sizes joins runs: the other engine is named only when a reported size was measured on it."""
    whoosh_only, with_solr = {"n": 10_000}, {"n": 100_000, "engines": {"solr": {"name": "SolrCloud"}}}
    last_run = {"engine": "Whoosh; SolrCloud beside it"}  # the info of a later run, of a size not reported
    assert engines_measured([whoosh_only], last_run) == "Whoosh"
    assert engines_measured([whoosh_only, with_solr], {"engine": "Whoosh"}) == "Whoosh; SolrCloud beside it"
    assert engines_measured([], {}) == "Whoosh"
