"""The benchmark's --engine report: the other engine's figures per kind beside Whoosh's, and any query whose hits differ."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from ports import _ports  # noqa: E402
from report.engines import engines_section  # noqa: E402


def _http(p50: float, count: int) -> dict:
    return {"cold": p50 * 3, "cold_all": [p50 * 3], "p50": p50, "warm_all": [p50, p50, p50 * 2], "count": count}


def _result(solr_counts: dict) -> dict:
    queries = [{"name": "common word", "kind": "common word", "group": "search"},
               {"name": "rare word", "kind": "rare word", "group": "search"}]
    return {
        "label": "2k", "queries": queries, "phases_s": {"rebuild": 12.0},
        "http": {"common word": _http(0.010, 900), "rare word": _http(0.004, 3)},
        "engines": {"solr": {
            "name": "SolrCloud", "rebuild": {"seconds": 30.0}, "check": {"output": "Index matches the database: 2000 articles.", "returncode": 0},
            "memory": [{"VmRSS": 80.0}, {"VmRSS": 82.0}], "http_floor": {"p50": 0.001},
            "http": {"common word": _http(0.030, solr_counts["common word"]), "rare word": _http(0.004, solr_counts["rare word"])}}},
    }


def _table(lines: list[str]) -> dict[str, list[str]]:
    rows = [line.strip("|").split("|") for line in lines if line.startswith("| ") and "---" not in line]
    return {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows[1:]}


def test_each_kind_has_both_engines_figures_and_the_ratio():
    table = _table(engines_section(_result({"common word": 900, "rare word": 3})))
    assert table["common word (1)"][:5] == ["30.0", "10.0 / 20.0", "90.0", "30.0 / 60.0", "3.0× / 3.0×"]
    assert table["rare word (1)"][4] == "1.0× / 1.0×"
    assert table["**median over all search pages** (per query, warm p50)"][4] == "**2.0×**"  # of 3.0 and 1.0


def test_hits_that_differ_are_named():
    same = engines_section(_result({"common word": 900, "rare word": 3}))
    assert [line for line in same if line.startswith("Hits per query are the same")]
    differ = engines_section(_result({"common word": 899, "rare word": 3}))
    assert [line for line in differ if line.startswith("Hits that differ")] == [
        "Hits that differ (Whoosh / SolrCloud): common word 900 / 899."]


def test_no_other_engine_no_section():
    result = _result({"common word": 900, "rare word": 3})
    del result["engines"]
    assert engines_section(result) == []


def test_port_ranges_from_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_SOLR_PORTS", "19002-19005")
    assert list(_ports("BENCH_SOLR_PORTS", range(8260, 8264))) == [19002, 19003, 19004, 19005]
    monkeypatch.delenv("BENCH_SOLR_PORTS")
    assert _ports("BENCH_SOLR_PORTS", range(8260, 8264)) == range(8260, 8264)


def test_the_clusters_processes_are_the_benchmarks_own(tmp_path):
    """The nodes' CPU is not counted as other processes' busyness: their pids come from the state
    directory named in NEWSDESK_SOLR_CONTROL; a stale or unreadable pid file is skipped."""
    import os
    import subprocess

    from engines import cluster_pids

    pids = tmp_path / "state" / "pids"
    pids.mkdir(parents=True)
    node = subprocess.Popen(["sleep", "30"])
    gone = subprocess.Popen(["true"])
    gone.wait()
    try:
        (pids / "node1.pid").write_text(f"{node.pid}\n")
        (pids / "node2.pid").write_text(f"{gone.pid}\n")
        (pids / "zookeeper.pid").write_text("")
        control = f"/repo/solrcloud/cluster --state '{tmp_path / 'state'}' "
        assert cluster_pids(control) == [node.pid]
        assert cluster_pids("") == [] and cluster_pids("/repo/solrcloud/cluster --state") == []
        assert os.getpid() not in cluster_pids(control)
    finally:
        node.kill()
        node.wait()
