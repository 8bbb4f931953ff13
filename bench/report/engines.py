"""The same mix on another engine (--engine), beside Whoosh: per kind, then hits per query."""

import statistics

from .figures import kinds_of, pooled
from .format import cores, duration, ms, ratio


def engines_section(r: dict) -> list[str]:
    lines = []
    for key, other in r.get("engines", {}).items():
        name = other["name"]
        lines += [
            f"### {name} beside Whoosh at {r['label']} (ms; the same queries over HTTP, gunicorn {len(other['memory'])} workers)",
            "",
            f"The app with `NEWSDESK_SEARCH_ENGINE={key}`, over the same database: `manage.py index_rebuild` "
            f"into it took {duration(other['rebuild']['seconds'])} (Whoosh: {duration(r['phases_s']['rebuild'])}); "
            f"`index_check`: {(other['check']['output'] or 'exit ' + str(other['check']['returncode'])).rstrip('.')}. "
            "Cold = a fresh gunicorn's first request (the engine's server stays up and warm). "
            "Gunicorn workers after the mix: " + ", ".join(f"{m['VmRSS']:.0f} MiB" for m in other["memory"])
            + f"; HTTP floor {ms(other['http_floor']['p50'])} ms.",
            "",
            f"| kind (queries) | Whoosh cold p50 | Whoosh warm p50 / p95 | {name} cold p50 | {name} warm p50 / p95 "
            f"| {name} ÷ Whoosh (warm / cold p50) | others' cores (Whoosh / {name}, warm) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for kind, _ in kinds_of(r):
            names = [q["name"] for q in r["queries"] if q["kind"] == kind]
            whoosh, theirs = pooled([r["http"][n] for n in names]), pooled([other["http"][n] for n in names])
            lines.append(
                f"| {kind} ({len(names)}) | {ms(whoosh.cold)} | {ms(whoosh.p50)} / {ms(whoosh.p95)} | {ms(theirs.cold)} | "
                f"{ms(theirs.p50)} / {ms(theirs.p95)} | {ratio(theirs.p50 / whoosh.p50)} / {ratio(theirs.cold / whoosh.cold)} "
                f"| {cores(whoosh.others)} / {cores(theirs.others)} |")
        search = [other["http"][q["name"]]["p50"] / r["http"][q["name"]]["p50"] for q in r["queries"] if q["group"] == "search"]
        if search:
            lines.append(f"| **median over all search pages** (per query, warm p50) | | | | | **{ratio(statistics.median(search))}** | |")
        differ = [q for q in r["queries"] if r["http"][q["name"]].get("count") != other["http"][q["name"]].get("count")]
        lines += ["", "Hits per query are the same on both engines (the count of the page or its JSON, the rows of the export)."
                  if not differ else "Hits that differ (Whoosh / " + name + "): " + "; ".join(
                      f"{q['name']} {r['http'][q['name']].get('count')} / {other['http'][q['name']].get('count')}" for q in differ) + ".",
                  ""]
    return lines
