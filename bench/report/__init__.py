"""Write RESULTS.md: how each figure was taken, the targets of issue 18, then per size the
build, the figures per kind (Newsdesk beside each peer, with ratios) and per query; the
machine's busyness beside every figure."""

import os

from load import NOISY_CORES, QUIET
from serve import COLD_STARTS, WARMUPS, WORKERS

from .engines import engines_section
from .figures import PEER_LABELS, PEERS, kind_figures, kind_ratio, kinds_of, median_ratio, upgrade
from .format import cores, duration, mib, ms, ratio
from .targets import targets_section


def load_note(r: dict, phase: str) -> str:
    """" · own CPU 470 s · other processes 0.30 cores" for a phase watched by Watch, else ""."""
    watched = r.get("load", {}).get(phase)
    if not watched:
        return ""
    own = f" · own CPU {watched['own_cpu_s']:,.0f} s" if watched.get("own_cpu_s") is not None else ""
    return f"{own} · other processes {watched['others_cores']:.2f} cores"


def cold_starts(results: list[dict]) -> str:
    """The fresh starts behind a query's cold p50, read from the figures: "3 here", or per size when sizes
    measured by separate runs differ ("3 at 10k, 2 at 100k")."""
    from build import size_label

    per_size = {}
    for r in results:
        own = {q["name"] for q in r.get("queries", []) if "cold_starts" not in q}  # the export sets its own
        starts = sorted(len(h.get("cold_all") or []) for name, h in r.get("http", {}).items() if name in own)
        if starts:
            per_size[r["n"]] = starts[len(starts) // 2]
    if len(set(per_size.values())) > 1:
        return ", ".join(f"{count} at {size_label(n)}" for n, count in per_size.items())
    return f"{next(iter(per_size.values()), COLD_STARTS[0])} here"


def engines_measured(results: list[dict], info: dict) -> str:
    """The run's engine, and each other engine any size was also measured on (sizes may come from separate runs)."""
    beside = dict.fromkeys(other["name"] for r in results for other in r.get("engines", {}).values())
    return info.get("engine", "Whoosh").split(";")[0] + "".join(f"; {name} beside it" for name in beside)


def header(results: list[dict], info: dict) -> list[str]:
    m = info["machine"]
    peers_about = {}
    for r in results:
        for key, peer in r["peers"].items():
            peers_about.setdefault(key, peer)
    pg_version = next((p["build"].get("version") for r in results for k, p in r["peers"].items() if k == "postgres"), None)
    return [
        "# Newsdesk benchmark results",
        "",
        f"- Date: {info['date']}",
        f"- Command: `{info['command']}`",
        f"- App measured: {info['app']}; search engine: {engines_measured(results, info)}",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']:.1f} GiB RAM, Linux {m['kernel']}"
        + (f"; the kernel pages out {m['reclaim']}, however much memory is free: a file page no phase read for "
           "that long is read from disk again (cold figures include such reads)" if m.get("reclaim") else ""),
        f"- Versions: Python {m['python']}, Django {m['django']}, django-haystack {m['haystack']}, Whoosh {m['whoosh']}, "
        f"gunicorn {m['gunicorn']}, SQLite {m['sqlite']}"
        + (f", tantivy {m['tantivy']}" if m.get("tantivy") else "") + (f", PostgreSQL {pg_version}" if pg_version else ""),
        f"- Articles: bench/generate.py, seed {results[0]['seed'] if results else '–'}; gunicorn {WORKERS} sync workers "
        f"on 127.0.0.1; warm = p50/p95 of {results[0]['repeats'] if results else '–'} sequential requests (fewer where "
        f"a query says so: the export) after {WARMUPS * WORKERS} unmeasured ones ({WORKERS} at a time, so every worker "
        "has served the page).",
        "",
        "How each figure is taken:",
        "- *Ingest*: wall time of `manage.py ingest DIR` (read, extract, store, then index every new article); "
        "*store* is up to its last per-file line, *index* the drain that follows.",
        "- *Rebuild*: wall time of the app's `manage.py index_rebuild` when it has one (a fresh index beside the live "
        "one, swapped in); otherwise delete the index and run `manage.py index_check --repair`.",
        "- *Cold*: the first request after a fresh gunicorn start, once its workers report ready (the app's own "
        "warm-up has run; no request served; the OS page cache is whatever the machine kept). p50 over "
        f"`--cold-starts` restarts per query ({cold_starts(results)}; 2 for the export), the slowest in brackets.",
        "- *Kinds*: each query of `bench/queries.json` has a kind; a kind's p50/p95 pool every timed request of its "
        "queries (cold: every cold start). *Search pages* are the text-search kinds (group `search`); the filter-only, "
        "actor, compare and article pages are browse pages; the export has its own target (rows/s).",
        "- *Peers* compute the same page in process (no HTTP, no template: the *HTTP floor* row shows that fixed "
        "cost): the count, the top 20 (by relevance, or by date for `sort=newest`, filter-only and actor pages; "
        "`page=N` by offset) with their headline, date, source, snippets and actors/topics, and actor/topic/month "
        "facet counts over all matches, with the same filters (dates, `actor`, `topic`, `actor_not`, `topic_not`); "
        "for a misspelt word (no hits) also a \"did you mean\"; for the export every match as CSV rows (the app's "
        "columns, written with Python's csv); for the compare view the count per month of each series and of all "
        "articles. The article page has no peer equivalent (n/a). Cold = the first run on a new connection or "
        "newly opened index; warm = p50/p95 of the same repeats. Ratio = Newsdesk / peer (> 1: Newsdesk slower).",
        *[f"  - *{peer['name']}*: {peer['about']}." for peer in peers_about.values() if peer.get("about")],
        "- *Others' cores*: this machine is shared; CPU that processes outside the benchmark used during a "
        "measurement, from /proc/stat minus the benchmark's own processes (gunicorn, the PostgreSQL server, the SolrCloud nodes; 2 = both "
        f"cores busy). A measurement with ≥ {NOISY_CORES} is retried up to {QUIET['attempts']} times and the quietest "
        "attempt kept; a high value left beside a figure means that figure is pessimistic.",
        "",
    ]


def ingest_note(r: dict) -> str:
    """An adopted archive (bench/run.py --adopt) was built outside the run: its ingest is new articles into a copy."""
    if "into" not in r["ingest"]:
        return ""
    return f" ({r['ingest']['articles']:,} new articles into a copy of this archive of {r['ingest']['into']:,}, built beforehand)"


def size_section(r: dict) -> list[str]:
    corpus, mem = r["corpus"], r["memory"]
    ingested = r["ingest"].get("articles", r["n"])
    lines = [
        f"## {r['n']:,} articles",
        "",
        f"{corpus['articles']:,} articles ({r['generated']['mean_bytes'] / 1024:.2f} KB mean, "
        f"{corpus['date_range'][0]} to {corpus['date_range'][1]}); actors: "
        + ", ".join(f"{count:,} {kind}" for kind, count in sorted(corpus["actors"].items()))
        + f" ({corpus['actor_links'] / corpus['articles']:.1f} per article); "
        f"{corpus['topics_used']} topics used ({corpus['topic_links'] / corpus['articles']:.1f} per article).",
        "",
        "| build | value |",
        "| --- | --- |",
        f"| ingest end to end{ingest_note(r)} | {duration(r['ingest']['total_s'])} → **{ingested / r['ingest']['total_s']:.1f} articles/s**{load_note(r, 'ingest')} |",
        f"| … store (read, extract, database) | {duration(r['ingest']['store_s'])} ({ingested / r['ingest']['store_s']:.1f} articles/s) |",
        f"| … index (queue drain into Whoosh) | {duration(r['ingest']['index_s'])} ({ingested / max(r['ingest']['index_s'], 1e-9):.1f} articles/s) |",
        f"| full index rebuild: {r['rebuild'].get('method', 'delete the index directory, then `manage.py index_check --repair`')} "
        f"| **{duration(r['phases_s']['rebuild'])}**{load_note(r, 'rebuild')} |",
        f"| `index_check` alone (no differences) | {duration(r['phases_s']['check'])} |",
        f"| Whoosh index on disk after rebuild | {mib(r['index']['bytes'])} in {r['index']['segments']} segments "
        + (f"(after ingest: {mib(r['index_after_ingest']['bytes'])}, {r['index_after_ingest']['segments']} segments) |"
           if r.get("index_after_ingest") else "|"),
        f"| SQLite database | {mib(r['db_bytes'])} |",
    ]
    for key in PEERS:
        peer = r["peers"].get(key)
        if peer and peer.get("build"):
            lines.append(f"| {peer['name']} build (copy, index) / size | {duration(peer['build']['seconds'])} / "
                         f"{mib(peer['build']['bytes'])}{load_note(r, f'{key}_build')} |")
            lines.append(f"| {peer['name']} queries | {duration(r['phases_s'].get(f'{key}_queries', 0))}{load_note(r, f'{key}_queries')} |")
    lines += [
        f"| HTTP phase | {duration(r['phases_s']['http'])}{load_note(r, 'http')} |",
        "| memory per gunicorn worker after the mix (VmRSS; peak VmHWM) | "
        + ", ".join(f"{m['VmRSS']:.0f} MiB ({m['VmHWM']:.0f})" for m in mem) + " |",
        "",
    ]
    lines += kind_table(r) + query_table(r) + [""] + engines_section(r)
    noisy = [(phase, w["others_cores"]) for phase, w in r.get("load", {}).items() if w["others_cores"] > 0.25]
    if r.get("build_note"):
        lines += ["", f"Build figures: {r['build_note']}"]
    lines += ["", f"Built {r.get('built', 'earlier')}" + (f" by `{r['build_command']}`" if r.get("build_command") else "")
              + f"; pages measured {r.get('measured', '?')}" + (" (build reused with --reuse)" if r.get("reused_build") else "")
              + (f". Build figures are those of {r['built_by']}; pages were measured with {r['app']}"
                 if r.get("built_by") and r["built_by"] != r["app"] else "") + ". "
              + ("Other processes on the machine were busy meanwhile ("
                 + ", ".join(f"{phase}: {value:.2f} of {os.cpu_count()} cores" for phase, value in noisy)
                 + "): those figures are pessimistic." if noisy else
                 "The rest of the machine was quiet during the watched phases (< 0.25 cores busy).")]
    lines += ["", "Queries (placeholders resolved from the database):", ""]
    lines += [f"- {query['name']} ({query['kind']}): `{query['url']}`" for query in r["queries"]]
    lines += ["", "Run phases: " + ", ".join(f"{k} {v:,.0f} s" for k, v in r["phases_s"].items())
              + f"; total {sum(r['phases_s'].values()) / 60:.1f} min.", ""]
    return lines


def _pair(figure) -> str:
    if figure.p50 is None:
        return "n/a"
    return f"{ms(figure.p50)} / {ms(figure.p95)}" + ("*" if figure.na else "")


def kind_table(r: dict) -> list[str]:
    peers = [key for key in PEERS if key in r["peers"]]
    lines = [
        f"### Per kind at {r['label']} (ms; p50 / p95 pooled over the kind's queries)",
        "",
        "| kind (queries) | Newsdesk cold p50 | Newsdesk warm p50 / p95 | "
        + " | ".join(f"{PEER_LABELS[k]} p50 / p95" for k in peers) + " | "
        + " | ".join(f"Newsdesk ÷ {PEER_LABELS[k]}" for k in peers)
        + " | others' cores (cold / warm / " + " / ".join(PEER_LABELS[k] for k in peers) + ") |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in peers) + " | " + " | ".join("---:" for _ in peers) + " | ---: |",
    ]
    notes = {}  # reason -> peers
    for kind, group in kinds_of(r):
        figures = kind_figures(r, kind)
        f = figures["newsdesk"]
        ratios = [kind_ratio(r, kind, k) for k in peers]
        for k in peers:
            for reason in figures[k].na:
                notes.setdefault(reason, set()).add(PEER_LABELS[k])
        lines.append(
            f"| {kind} ({f.queries}) | {ms(f.cold)} | {ms(f.p50)} / {ms(f.p95)} | "
            + " | ".join(_pair(figures[k]) for k in peers) + " | "
            + " | ".join(ratio(x[0]) if x else "n/a" for x in ratios)
            + f" | {cores(f.cold_others)} / {cores(f.others)} / "
            + " / ".join(cores(figures[k].others) for k in peers) + " |")
    medians = [median_ratio(r, k) for k in peers]
    lines.append("| **median over all search pages** (per query, warm p50) | | | " + " | ".join("" for _ in peers) + " | "
                 + " | ".join(f"**{ratio(x)}**" for x in medians) + " | |")
    lines += ["", "n/a: the peer has no equivalent of that kind, or cannot express it"
              + (" (" + "; ".join(f"{', '.join(sorted(peers))}: {reason}" for reason, peers in sorted(notes.items())) + ")" if notes else "") + "; * = some of the kind's queries are n/a for "
              "that peer (its ratio covers the others).", ""]
    return lines


def query_table(r: dict) -> list[str]:
    peers = [key for key in PEERS if key in r["peers"]]
    lines = [
        f"### Per query at {r['label']} (ms)",
        "",
        "| query | kind | hits (Newsdesk / " + " / ".join(PEER_LABELS[k] for k in peers) + ") | cold p50 (max) | warm p50 | warm p95 | "
        + " | ".join(f"{PEER_LABELS[k]} cold / p50 / p95" for k in peers)
        + " | others' cores (cold / warm / " + " / ".join(PEER_LABELS[k] for k in peers) + ") |",
        "| --- | --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in peers) + " | ---: |",
    ]
    for query in r["queries"]:
        h = r["http"][query["name"]]
        results = [r["peers"][k]["queries"].get(query["name"], {"na": "not measured"}) for k in peers]
        hits = " / ".join([f"{h['count']:,}" if isinstance(h.get("count"), int) else "–"]
                          + [f"{p['count']:,}" if "count" in p else "n/a" for p in results])
        status = "" if h.get("statuses") == [200] and h.get("cold_status") == 200 else f" (HTTP {h.get('cold_status')}, {h.get('statuses')})"
        cold_max = f" ({ms(h['cold_max'])})" if "cold_max" in h else ""
        lines.append(
            f"| {query['name']}{status} | {query['kind']} | {hits} | {ms(h['cold'])}{cold_max} | {ms(h['p50'])} | {ms(h['p95'])} | "
            + " | ".join("n/a" if "na" in p else f"{ms(p['cold'])} / {ms(p['p50'])} / {ms(p['p95'])}" for p in results)
            + f" | {cores(h.get('cold_others_cores'))} / {cores(h.get('warm_others_cores'))} / "
            + " / ".join("–" if "na" in p else cores(p.get("others_cores")) for p in results) + " |")
    lines.append(f"| HTTP floor (static file) | – | – | – | {ms(r['http_floor']['p50'])} | {ms(r['http_floor']['p95'])} | "
                 + " | ".join("" for _ in peers) + " | |")
    return lines


def skipped_section(s: dict) -> list[str]:
    from build import size_label

    p = s["projection"]
    lines = [
        f"## {s['n']:,} articles: not run", "",
        f"Projected total {p['total_s'] / 60:,.0f} min > the {s['limit_min']:g} min limit "
        f"({'linear lower bound from one size' if p['lower_bound'] else 'power law fitted per phase on ' + ' and '.join(map(size_label, p['from']))}):",
        "", "| phase | projected | exponent |", "| --- | ---: | ---: |",
    ]
    for phase, seconds in p["phases_s"].items():
        lines.append(f"| {phase} | {duration(seconds)} | {p['exponents'][phase]:.2f} |")
    for part, seconds in p["ingest_parts_s"].items():
        lines.append(f"| … ingest {part[:-2]} | {duration(seconds)} | {p['exponents']['ingest ' + part[:-2]]:.2f} |")
    return lines + ["", f"Projected ingest throughput at {size_label(s['n'])}: {s['n'] / p['phases_s']['ingest']:.1f} "
                    f"articles/s; projected rebuild: {duration(p['phases_s']['rebuild'])}.", ""]


def render(results: list[dict], skipped: list[dict], info: dict) -> str:
    results = [upgrade(r) for r in results]
    lines = header(results, info) + targets_section(results)
    for r in results:
        lines += size_section(r)
    for s in skipped:
        lines += skipped_section(s)
    return "\n".join(lines).rstrip() + "\n"
