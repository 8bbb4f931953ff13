"""The same page mix served by the app on another search engine, beside Whoosh in one run.

`--engine solr`: run.py starts itself under scripts/with-solr (ZooKeeper and three Solr nodes on
127.0.0.1, a collection of 2 shards x 2 replicas). For each size, once Whoosh has been measured,
the size's database is indexed into the cluster with `manage.py index_rebuild` (timed: a new
collection, then the alias moved to it) and checked with `index_check`, then gunicorn serves the
same queries over HTTP, cold and warm, exactly as for Whoosh (serve.py).
"""

import os
import shlex
import sys
from pathlib import Path

from app import REPO, App, Engine, app_env, using
from load import Watch, log, process_tree, timed
from ports import SOLR_PORTS
from serve import Gunicorn, http_measure


def run_under_cluster(argv: list[str]) -> None:
    """Replace this process by the same command under scripts/with-solr, unless a cluster is already given."""
    if os.environ.get("NEWSDESK_SEARCH_URL"):
        return
    os.environ.setdefault("NEWSDESK_SOLR_ZK_PORT", str(SOLR_PORTS[0]))
    os.environ.setdefault("NEWSDESK_SOLR_PORTS", ",".join(str(port) for port in SOLR_PORTS[1:4]))
    log(f"starting SolrCloud with scripts/with-solr (ZooKeeper {os.environ['NEWSDESK_SOLR_ZK_PORT']}, "
        f"nodes {os.environ['NEWSDESK_SOLR_PORTS']})")
    with_solr = str(REPO / "scripts" / "with-solr")
    os.execv(with_solr, [with_solr, sys.executable, os.path.abspath(argv[0]), *argv[1:]])


def cluster_pids(control: str | None = None) -> list[int]:
    """The live processes of the cluster of scripts/with-solr (ZooKeeper and the nodes, from the pid files
    in its state directory): the benchmark's own work, not other processes' (the busyness beside each figure)."""
    args = shlex.split(os.environ.get("NEWSDESK_SOLR_CONTROL", "") if control is None else control)
    if "--state" not in args[:-1]:
        return []
    pids = []
    for pid_file in sorted((Path(args[args.index("--state") + 1]) / "pids").glob("*.pid")):
        try:
            pid = int(pid_file.read_text())
        except (OSError, ValueError):
            continue
        if Path(f"/proc/{pid}").exists():
            pids += process_tree(pid)
    return pids


def measure_engine(app: App, engine: Engine, data: Path, work: Path, queries: list[dict], repeats: int,
                   load: dict) -> dict:
    """Index the size's database into the engine, then serve the mix; its figures, as Whoosh's."""
    key = engine.name
    with using(engine):
        env = app_env(data)
        log(f"{engine.label}: manage.py index_rebuild")
        with Watch(load, f"{key}_rebuild", cluster_pids):
            rebuild_s, rebuild = timed(app.manage, env, "index_rebuild")
        check_s, check = timed(app.manage, env, "index_check", check=False)
        log(f"{engine.label}: rebuild {rebuild_s:.1f} s; index_check {check_s:.1f} s: {check.stdout.strip()}")
        server = Gunicorn(app, data, work / f"gunicorn-{key}.log")
        log(f"{engine.label}: HTTP, the same mix")
        with Watch(load, f"{key}_http", cluster_pids):
            http_s, (http, memory, floor) = timed(http_measure, server, queries, repeats, cluster_pids)
    return {"name": engine.label, "rebuild": {"seconds": rebuild_s, "output": rebuild.stdout.strip()},
            "check": {"seconds": check_s, "output": check.stdout.strip(), "returncode": check.returncode},
            "http_s": http_s, "http": http, "memory": memory, "http_floor": floor}
