"""Figures the report derives from a size's measurements: per kind, pooled over its queries."""

import dataclasses
import statistics

from peers import percentile

PEERS = ("fts5", "postgres", "tantivy")
PEER_LABELS = {"fts5": "FTS5", "postgres": "PostgreSQL", "tantivy": "tantivy"}


def upgrade(r: dict) -> dict:
    """Read a result saved before the kinds and peers existed (results.json of an older run)."""
    if "peers" not in r:
        r["peers"] = {"fts5": {"name": "FTS5", "queries": r.get("fts", {}), "build": {"seconds": r["phases_s"].get("fts_build", 0),
                                                                                    "bytes": r.get("fts_bytes", 0)}}}
    for query in r["queries"]:
        query.setdefault("kind", query["name"])
        query.setdefault("group", "search" if query.get("text") else "browse")
    return r


@dataclasses.dataclass
class Figure:
    """p50/p95 of pooled samples, the cold p50, and the most other processes used while they were taken."""

    p50: float | None = None
    p95: float | None = None
    cold: float | None = None
    others: float | None = None  # warm (peers: their one measurement)
    cold_others: float | None = None
    queries: int = 0
    na: list[str] = dataclasses.field(default_factory=list)  # reasons, for queries the peer cannot compute


def pooled(rows: list[dict], cold_key: str = "cold_all") -> Figure:
    warm = [t for row in rows for t in row.get("warm_all", [row["p50"]])]
    cold = [t for row in rows for t in row.get(cold_key, [row["cold"]])]
    if not warm:
        return Figure()
    return Figure(statistics.median(warm), percentile(warm, 95), statistics.median(cold) if cold else None,
                  max(row.get("warm_others_cores", row.get("others_cores", 0)) for row in rows),
                  max(row.get("cold_others_cores", row.get("others_cores", 0)) for row in rows), len(rows))


def kind_figures(r: dict, kind: str) -> dict[str, Figure]:
    """{"newsdesk": Figure, "fts5": Figure, ...} for one kind; a peer's figure covers the queries it computes."""
    names = [q["name"] for q in r["queries"] if q["kind"] == kind]
    figures = {"newsdesk": pooled([r["http"][name] for name in names if name in r["http"]])}
    for peer in PEERS:
        results = r["peers"].get(peer, {}).get("queries", {})
        done = [results[name] for name in names if name in results and "na" not in results[name]]
        figure = pooled(done, cold_key="cold_list") if done else Figure()
        figure.na = sorted({results[name]["na"] for name in names if "na" in results.get(name, {})})
        figures[peer] = figure
    return figures


def kind_ratio(r: dict, kind: str, peer: str) -> tuple[float, float] | None:
    """(warm p50, cold p50) of Newsdesk / the peer over the kind's queries the peer computes, or None."""
    results = r["peers"].get(peer, {}).get("queries", {})
    names = [q["name"] for q in r["queries"] if q["kind"] == kind and "na" not in results.get(q["name"], {"na": 1})]
    if not names:
        return None
    ours, theirs = pooled([r["http"][n] for n in names]), pooled([results[n] for n in names], cold_key="cold_list")
    return ours.p50 / theirs.p50, ours.cold / theirs.cold


def median_ratio(r: dict, peer: str) -> float | None:
    """Median over the search-page queries of Newsdesk warm p50 / the peer's."""
    results = r["peers"].get(peer, {}).get("queries", {})
    ratios = [r["http"][q["name"]]["p50"] / results[q["name"]]["p50"] for q in r["queries"]
              if q["group"] == "search" and "p50" in results.get(q["name"], {})]
    return statistics.median(ratios) if ratios else None


def kinds_of(r: dict) -> list[tuple[str, str]]:
    """[(kind, group)] in the mix's order."""
    seen = {}
    for query in r["queries"]:
        seen.setdefault(query["kind"], query["group"])
    return list(seen.items())
