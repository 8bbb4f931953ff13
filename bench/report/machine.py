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
    }


def _version_or_none(version, name: str) -> str | None:
    try:
        return version(name)
    except Exception:
        return None
