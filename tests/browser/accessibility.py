"""axe-core, the accessibility checker, run inside a page; only serious and critical findings count."""

from pathlib import Path

# Installed by `make install-test` (npm ci in this folder; the version is pinned in package-lock.json).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; one readable line per element that breaks a serious or critical rule."""
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['impact']} {violation['id']} ({violation['help']}) at {node['target']}: {summary[:300]}")
    return lines
