"""Project a size that was not run from the sizes that were: is it worth its time?"""

import math


def projection(done: list[dict], n: int) -> dict:
    """Project each phase's seconds to n articles: a power law fitted on the two largest sizes run
    (at least linear; linear for phases under 2 s); ingest as its store and index parts."""
    done = sorted(done, key=lambda r: r["n"])
    last = done[-1]

    def grow(seconds: float, before: float | None) -> tuple[float, float]:
        exponent = 1.0
        if before and before >= 2 and seconds > before:
            exponent = max(1.0, math.log(seconds / before) / math.log(last["n"] / done[-2]["n"]))
        return seconds * (n / last["n"]) ** exponent, exponent

    phases, exponents = {}, {}
    for phase, seconds in last["phases_s"].items():
        phases[phase], exponents[phase] = grow(seconds, done[-2]["phases_s"].get(phase) if len(done) >= 2 else None)
    parts = {}
    for part in ("store_s", "index_s"):
        parts[part], exponents[f"ingest {part[:-2]}"] = grow(last["ingest"][part], done[-2]["ingest"][part] if len(done) >= 2 else None)
    phases["ingest"] = sum(parts.values())  # the two halves of ingest grow differently
    exponents["ingest"] = math.log(phases["ingest"] / last["phases_s"]["ingest"]) / math.log(n / last["n"])
    return {"n": n, "from": [r["n"] for r in done[-2:]], "phases_s": phases, "exponents": exponents,
            "ingest_parts_s": parts, "total_s": sum(phases.values()), "lower_bound": len(done) < 2}
