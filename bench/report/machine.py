"""The machine and the versions a run measured with."""

import os
import platform
import re
import sqlite3
from pathlib import Path


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    from importlib.metadata import version
    return {
        "nproc": os.cpu_count(),
        "memory_gib": int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 2**20,
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": version("Django"),
        "haystack": version("django-haystack"),
        "whoosh": version("Whoosh"),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"),
        "tantivy": _version_or_none(version, "tantivy"),
        "reclaim": proactive_reclaim(),
    }


DAMON = Path("/sys/kernel/mm/damon/admin/kdamonds")


def proactive_reclaim(root: Path = DAMON) -> str | None:
    """What the kernel pages out on its own, if a running DAMON scheme does: "memory idle for 60 s or more
    (DAMON, at most 128 MiB/s)". Such a machine reads from disk again any page that a phase has not used
    for that long, however much memory is free: "cold" then includes disk reads."""
    found = []
    for state in sorted(root.glob("*/state")):
        if _text(state) != "on":
            continue
        for context in sorted(state.parent.glob("contexts/*")):
            aggregation_us = _number(context / "monitoring_attrs/intervals/aggr_us")
            for scheme in sorted(context.glob("schemes/*")):
                if not scheme.name.isdigit() or _text(scheme / "action") != "pageout":
                    continue
                idle_s = _number(scheme / "access_pattern/age/min") * aggregation_us / 1e6
                quota, reset_ms = _number(scheme / "quotas/bytes"), _number(scheme / "quotas/reset_interval_ms")
                rate = f", at most {quota / 2**20 * 1000 / reset_ms:,.0f} MiB/s" if quota and reset_ms else ""
                found.append(f"memory idle for {idle_s:,.0f} s or more (DAMON{rate})")
    return "; ".join(found) or None


def _text(path: Path) -> str:
    """A sysfs file's value; "" when it cannot be read (a kdamond stopped meanwhile): the report is never lost to it."""
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _number(path: Path) -> int:
    try:
        return int(_text(path).split()[0])
    except (ValueError, IndexError):
        return 0


def _version_or_none(version, name: str) -> str | None:
    try:
        return version(name)
    except Exception:
        return None
