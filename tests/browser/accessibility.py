"""axe-core, the accessibility checker, run inside a page; only serious and critical findings count."""

from pathlib import Path

# Installed by `make install-test` (npm ci in this folder; the version is pinned in package-lock.json).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA (2.2 adds target-size: 24 x 24 px targets).
WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, tags: list[str] | None = None) -> list[str]:
    """Run axe-core on the page (all rules, or those with `tags`); one line per element breaking a serious or critical rule."""
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "tag", "values": tags}} if tags else {})}
    results = page.evaluate("(options) => axe.run(document, options)", options)
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['impact']} {violation['id']} ({violation['help']}) at {node['target']}: {summary[:300]}")
    return lines


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
