"""The targets of issue 18, each marked met or not (and by how much) from the run's own figures.

At 10k: every search-page kind within 1.5x of FTS5 (warm and cold p50); rare-word/name and
filter-only pages <= 20 ms; misspelt word <= 30 ms; article page <= 15 ms. At 100k: every
page kind p50 <= 150 ms (warm and cold) and p95 <= 400 ms, every search-page kind within 1.0x
of FTS5. At every size: exports >= 20,000 rows/s, ingest >= 50 articles/s; at 100k the
rebuild <= 10 min.
"""

from .figures import kind_figures, kind_ratio, kinds_of
from .format import cores

VIA_JOB = " (a background job: asked, status polled, file downloaded)"
FTS5_RATIO = {10_000: 1.5, 100_000: 1.0}
QUICK_PAGES = {10_000: ({"rare word": 20, "rare name": 20, "filter-only": 20, "misspelt word": 30, "article page": 15})}
PAGE_P50_MS, PAGE_P95_MS = {100_000: 150}, {100_000: 400}
EXPORT_ROWS_PER_S, INGEST_PER_S, REBUILD_MIN = 20_000, 50, {100_000: 10}


def _verdict(ok: bool, over: str) -> str:
    return "met" if ok else f"**not met**: {over}"


def _worst(figure) -> tuple[float, str]:
    """The higher of warm and cold p50, in ms, and which it is."""
    warm, cold = figure.p50 * 1000, (figure.cold or 0) * 1000
    return (cold, "cold") if cold > warm else (warm, "warm")


def target_rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(target, measured, others' cores, verdict) for every target that applies at this size."""
    n, rows = r["n"], []
    kinds = kinds_of(r)
    figures = {kind: kind_figures(r, kind) for kind, _ in kinds}
    if n in FTS5_RATIO:
        limit = FTS5_RATIO[n]
        for kind, group in kinds:
            ratio = kind_ratio(r, kind, "fts5") if group == "search" else None
            if ratio is None:
                continue
            f, fts = figures[kind]["newsdesk"], figures[kind]["fts5"]
            worst = max(ratio)
            rows.append((f"{kind}: within {limit:g}× of FTS5", f"warm {ratio[0]:.1f}×, cold {ratio[1]:.1f}×",
                         f"{cores(f.cold_others)} / {cores(f.others)} / {cores(max(fts.others, fts.cold_others))}",
                         _verdict(worst <= limit, f"{worst:.1f}× ({worst / limit:.1f} times the limit)")))
    for kind, limit in QUICK_PAGES.get(n, {}).items():
        if kind in figures and figures[kind]["newsdesk"].p50 is not None:
            f = figures[kind]["newsdesk"]
            worst, which = _worst(f)
            rows.append((f"{kind}: p50 ≤ {limit} ms", f"cold {f.cold * 1000:.1f} ms, warm {f.p50 * 1000:.1f} ms",
                         f"{cores(f.cold_others)} / {cores(f.others)}",
                         _verdict(worst <= limit, f"{which} by {worst - limit:.1f} ms")))
    if n in PAGE_P50_MS:
        for kind, group in kinds:
            if group == "export":
                continue
            f = figures[kind]["newsdesk"]
            worst, which = _worst(f)
            p95 = f.p95 * 1000
            misses = ([f"{which} p50 by {worst - PAGE_P50_MS[n]:.0f} ms"] if worst > PAGE_P50_MS[n] else []) + \
                     ([f"p95 by {p95 - PAGE_P95_MS[n]:.0f} ms"] if p95 > PAGE_P95_MS[n] else [])
            rows.append((f"{kind}: p50 ≤ {PAGE_P50_MS[n]} ms, p95 ≤ {PAGE_P95_MS[n]} ms",
                         f"cold {f.cold * 1000:.0f}, warm {f.p50 * 1000:.0f}, p95 {p95:.0f} ms",
                         f"{cores(f.cold_others)} / {cores(f.others)}", _verdict(not misses, "; ".join(misses))))
    for kind, group in kinds:
        if group != "export":
            continue
        for query in (q for q in r["queries"] if q["kind"] == kind):
            h = r["http"][query["name"]]
            rows_out = h.get("rows") or 0
            warm, cold = rows_out / h["p50"], rows_out / h["cold"]
            rows.append((f"{query['name']}: ≥ {EXPORT_ROWS_PER_S:,} rows/s", f"{rows_out:,} rows{VIA_JOB if h.get('via_job') else ''}: warm {warm:,.0f}/s, cold {cold:,.0f}/s",
                         f"{cores(h.get('cold_others_cores'))} / {cores(h.get('warm_others_cores'))}",
                         _verdict(min(warm, cold) >= EXPORT_ROWS_PER_S, f"{min(warm, cold):,.0f} rows/s, "
                                  f"{EXPORT_ROWS_PER_S / max(min(warm, cold), 1):.1f}× too slow")))
    ingest = r["ingest"].get("articles", r["n"]) / r["ingest"]["total_s"]
    load = r.get("load", {})
    rows.append((f"ingest ≥ {INGEST_PER_S} articles/s end to end", f"{ingest:.1f} articles/s",
                 cores(load.get("ingest", {}).get("others_cores")),
                 _verdict(ingest >= INGEST_PER_S, f"by {INGEST_PER_S - ingest:.1f} articles/s")))
    if n in REBUILD_MIN:
        minutes = r["phases_s"]["rebuild"] / 60
        rows.append((f"full rebuild ≤ {REBUILD_MIN[n]} min", f"{minutes:.1f} min", cores(load.get("rebuild", {}).get("others_cores")),
                     _verdict(minutes <= REBUILD_MIN[n], f"by {minutes - REBUILD_MIN[n]:.1f} min")))
    return rows


def targets_section(results: list[dict]) -> list[str]:
    lines = []
    for r in results:
        rows = target_rows(r)
        met = sum(row[3] == "met" for row in rows)
        lines += [f"## Against the targets of issue 18 ({r['n']:,} articles): {met} of {len(rows)} met", "",
                  "Others' cores: what other processes used while the figure was measured (cold / warm / FTS5 for ratios).", "",
                  "| target | measured | others' cores | met? |", "| --- | --- | ---: | --- |"]
        lines += [f"| {target} | {measured} | {others} | {verdict} |" for target, measured, others, verdict in rows]
        lines.append("")
    return lines
