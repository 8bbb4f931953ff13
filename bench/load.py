"""How busy the machine was: CPU used by other processes while the benchmark measured.

The machine is shared. Each figure carries the cores other processes used meanwhile
(from /proc/stat minus the benchmark's own processes), a noisy measurement is taken
again, and --wait-quiet waits for an idle machine before each phase.
"""

import os
import resource
import time
from pathlib import Path

NOISY_CORES = 0.3
QUIET = {"limit_s": 0.0, "cores": 0.3, "attempts": 3}  # from --wait-quiet and --attempts


def log(message: str) -> None:
    import sys

    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, CPU seconds of this process and its waited-for children)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    own = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK"), sum(u.ru_utime + u.ru_stime for u in own)


def busy_and_own(live_pids=lambda: []) -> tuple[float, float]:
    """cpu_seconds(), with the CPU of the benchmark's own live processes (a server's) counted as its own."""
    busy, own = cpu_seconds()
    return busy, own + process_cpu(live_pids())


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by live processes and the children they have
    waited for (a database server's backends that came and went during a measurement)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(field) for field in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (a database server's backends are not this process's children)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return pids


MIN_WINDOW_S = 1.0


def noise_of(measure, live_pids=lambda: []):
    """Run measure() once; return (its result, cores other processes used meanwhile).

    live_pids: the benchmark's own live processes (gunicorn, a database server) whose CPU is not noise.
    /proc/stat counts in 10 ms ticks: a measurement shorter than MIN_WINDOW_S is observed over
    that window (the rest idle), or a 2 ms query would read as 0 or 5 cores.
    """
    busy, own = busy_and_own(live_pids)
    started = time.perf_counter()
    result = measure()
    time.sleep(max(0.0, MIN_WINDOW_S - (time.perf_counter() - started)))
    wall = time.perf_counter() - started
    busy2, own2 = busy_and_own(live_pids)
    return result, max(0.0, (busy2 - busy) - (own2 - own)) / wall


def least_noisy(measure, live_pids=lambda: [], label: str = ""):
    """Run measure() up to QUIET["attempts"] times until other processes used under NOISY_CORES meanwhile;
    return (result, others_cores) of the quietest attempt."""
    best = None
    for attempt in range(QUIET["attempts"]):
        if attempt:
            time.sleep(10)
        result, others = noise_of(measure, live_pids)
        if best is None or others < best[1]:
            best = (result, others)
        if others < NOISY_CORES:
            break
        log(f"  {label}: other processes used {others:.2f} cores during attempt {attempt + 1}")
    return best


def wait_quiet(phase: str, live_pids=lambda: []) -> None:
    """Before a measured phase, wait (at most --wait-quiet seconds) until the rest of the machine
    uses under 0.3 cores, sampled over 5 s; measure anyway when the wait runs out."""
    deadline = time.monotonic() + QUIET["limit_s"]
    while QUIET["limit_s"] > 0:
        busy, own = busy_and_own(live_pids)
        time.sleep(5)
        busy2, own2 = busy_and_own(live_pids)
        others = max(0.0, (busy2 - busy) - (own2 - own)) / 5
        if others < QUIET["cores"]:
            return
        if time.monotonic() > deadline:
            log(f"  {phase}: the machine is still busy ({others:.2f} cores used by other processes); measuring anyway")
            return
        log(f"  {phase}: waiting for a quiet machine ({others:.2f} cores used by other processes)")
        time.sleep(25)


class Watch:
    """Record a phase's wall time, the CPU time of the benchmark's own processes, and what
    the rest of the machine used meanwhile (other users' work makes the figures noisy)."""

    def __init__(self, record: dict, phase: str, live_pids=lambda: []):
        self.record, self.phase, self.live_pids = record, phase, live_pids

    def __enter__(self):
        wait_quiet(self.phase, self.live_pids)
        self.started, (self.busy, self.own) = time.perf_counter(), busy_and_own(self.live_pids)
        return self

    def __exit__(self, *exc):
        wall = time.perf_counter() - self.started
        busy, own = busy_and_own(self.live_pids)
        self.record[self.phase] = {
            "wall_s": wall, "own_cpu_s": own - self.own,
            "others_cores": max(0.0, (busy - self.busy) - (own - self.own)) / wall if wall else 0.0,
            "load1_end": os.getloadavg()[0],
        }


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result
