"""Build one size from scratch: generate the articles, ingest them with the app, check and
rebuild its index; each step timed, with the machine's busyness."""

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import generate  # bench/generate.py
from app import App, app_env
from load import Watch, log, timed


def size_label(n: int) -> str:
    """10000 -> "10k", 2500 -> "2.5k", 500 -> "500"."""
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def timed_ingest(app: App, env: dict, articles: Path, log_path: Path) -> dict:
    """Run `manage.py ingest DIR`; split its wall time at the last per-file line (store vs index)."""
    started = time.perf_counter()
    marks, counts, last_file_line = {}, {"ingested": 0, "duplicate": 0, "refused": 0}, started
    with open(log_path, "w") as out, open(log_path.with_suffix(".err"), "w") as err:
        proc = subprocess.Popen([sys.executable, "manage.py", "ingest", str(articles)], cwd=app.dir,
                                env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        for line in proc.stdout:  # ends when the command exits
            out.write(line)
            status = line.split(" ", 1)[0]
            if status in counts:
                counts[status] += 1
                last_file_line = time.perf_counter()
                done = sum(counts.values())
                if done % 1000 == 0:
                    marks[done] = round(last_file_line - started, 2)
        returncode = proc.wait(timeout=4 * 3600)
    total = time.perf_counter() - started
    if returncode != 0 or counts["refused"]:
        raise SystemExit(f"ingest failed ({returncode}); see {log_path}")
    return {"total_s": total, "store_s": last_file_line - started, "index_s": total - (last_file_line - started),
            "counts": counts, "store_marks_s": marks}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file())


def index_stats(index_dir: Path) -> dict:
    """Size on disk and number of segments of the live Whoosh index (a directory or a symlink to one)."""
    return {"bytes": dir_size(index_dir), "segments": len(list(index_dir.resolve().glob("*.seg")))}


def corpus_stats(db: Path) -> dict:
    conn = sqlite3.connect(db)
    stats = {
        "articles": conn.execute("SELECT count(*) FROM articles_article").fetchone()[0],
        "actors": dict(conn.execute("SELECT kind, count(*) FROM articles_actor GROUP BY kind").fetchall()),
        "actor_links": conn.execute("SELECT count(*) FROM articles_article_actors").fetchone()[0],
        "topics_used": conn.execute("SELECT count(DISTINCT topic_id) FROM articles_article_topics").fetchone()[0],
        "topic_links": conn.execute("SELECT count(*) FROM articles_article_topics").fetchone()[0],
        "date_range": conn.execute("SELECT min(date), max(date) FROM articles_article").fetchone(),
    }
    conn.close()
    return stats


def build_size(app: App, n: int, seed: int, work: Path, data: Path, articles: Path, command: str) -> dict:
    """Generate, ingest, check and rebuild one size from scratch; return the build figures."""
    label = size_label(n)
    shutil.rmtree(work, ignore_errors=True)
    data.mkdir(parents=True)
    env = app_env(data)
    phases, load = {}, {}
    result = {"n": n, "label": label, "seed": seed, "phases_s": phases, "load": load, "app": app.description,
              "build_command": command}

    log(f"{label}: generating {n} articles (seed {seed})")
    phases["generate"], stats = timed(generate.generate, n, articles, seed)
    result["generated"] = stats

    phases["setup"], _ = timed(lambda: (app.manage(env, "migrate", "--noinput"),
                                        app.manage(env, "collectstatic", "--noinput", "--verbosity", "0")))

    log(f"{label}: manage.py ingest")
    with Watch(load, "ingest"):
        ingest = timed_ingest(app, env, articles, work / "ingest.log")
    result["ingest"] = ingest
    phases["ingest"] = ingest["total_s"]
    log(f"{label}: ingest {ingest['total_s']:.1f} s ({n / ingest['total_s']:.1f} articles/s; "
        f"store {ingest['store_s']:.1f} s, index {ingest['index_s']:.1f} s; "
        f"other processes used {load['ingest']['others_cores']:.2f} cores meanwhile)")

    index_dir = data / "whoosh"
    phases["check"], check = timed(app.manage, env, "index_check", check=False)
    result["check"] = {"seconds": phases["check"], "output": check.stdout.strip(), "returncode": check.returncode}
    result["index_after_ingest"] = index_stats(index_dir)
    log(f"{label}: index_check {phases['check']:.1f} s: {check.stdout.strip()}")

    measure_rebuild(app, env, data, result)
    result["corpus"] = corpus_stats(data / "newsdesk.sqlite3")
    result["built"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


def adopt_build(app: App, n: int, seed: int, work: Path, source: Path, command: str, new_articles: int = 2000) -> dict:
    """An archive generated (bench/generate.py, `seed`) and ingested outside this run (say by two ingests side by
    side, as a 100k archive was): its pages are measured in place, work/data and work/articles linking to it.
    Its build figures come from a copy, as bench/ingest_speed.py takes them: `new_articles` more articles
    ingested into it with `manage.py ingest`, then `manage.py index_rebuild` of the whole copy."""
    import argparse

    import ingest_speed

    work.mkdir(parents=True, exist_ok=True)
    for name in ("data", "articles"):
        link = work / name
        if link.is_symlink():
            link.unlink()
        link.symlink_to((source / name).resolve())
    data, label = work / "data", size_label(n)
    env = app_env(data)
    app.manage(env, "migrate", "--noinput")
    app.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    log(f"{label}: adopting {source}; ingest and rebuild measured on a copy (bench/ingest_speed.py)")
    copy = ingest_speed.measure(app, data, argparse.Namespace(articles=new_articles, seed=123, rebuild=True, archive=source))
    phases = {"ingest": copy["ingest"]["total_s"], "rebuild": copy["rebuild"]["wall_s"]}
    load = {phase: copy["load"][phase] for phase in ("ingest", "rebuild")}
    result = {"n": n, "label": label, "seed": seed, "phases_s": phases, "load": load, "app": app.description,
              "build_command": command, "adopted": str(source),
              "ingest": {**copy["ingest"], "articles": new_articles, "into": copy["archive_articles"]},
              "rebuild": {"seconds": phases["rebuild"], "output": copy["rebuild"]["output"],
                          "method": f"`manage.py index_rebuild` of the copy ({copy['rebuild']['articles']:,} articles, "
                                    "the new ones too: a fresh directory beside the live index, then a swap)"}}
    phases["check"], check = timed(app.manage, env, "index_check", check=False)
    result["check"] = {"seconds": phases["check"], "output": check.stdout.strip(), "returncode": check.returncode}
    log(f"{label}: index_check {phases['check']:.1f} s: {check.stdout.strip()}")
    result["index"] = index_stats(data / "whoosh")
    result["db_bytes"] = (data / "newsdesk.sqlite3").stat().st_size
    files = [path.stat().st_size for path in (work / "articles").rglob("*.txt")]
    result["generated"] = {"articles": len(files), "bytes": sum(files), "mean_bytes": sum(files) / max(len(files), 1)}
    result["corpus"] = corpus_stats(data / "newsdesk.sqlite3")
    result["built"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


def measure_rebuild(app: App, env: dict, data: Path, result: dict) -> None:
    """Rebuild the size's index from its database; record the time and the index it leaves."""
    label, phases, load = result["label"], result["phases_s"], result.setdefault("load", {})
    index_dir = data / "whoosh"
    if (app.dir / "articles/management/commands/index_rebuild.py").exists():
        method, command = "`manage.py index_rebuild` (the app's rebuild: a fresh directory beside the live index, then a swap)", ["index_rebuild"]
    else:
        method, command = "delete the index directory, then `manage.py index_check --repair`", ["index_check", "--repair"]
        shutil.rmtree(index_dir.resolve())
    log(f"{label}: rebuild: {method}")
    with Watch(load, "rebuild"):
        phases["rebuild"], repair = timed(app.manage, env, *command)
    result["rebuild"] = {"seconds": phases["rebuild"], "output": repair.stdout.strip(), "method": method}
    result["index"] = index_stats(index_dir)
    result["db_bytes"] = (data / "newsdesk.sqlite3").stat().st_size
    log(f"{label}: rebuild {phases['rebuild']:.1f} s, index {result['index']['bytes'] / 2**20:.1f} MiB "
        f"(other processes used {load['rebuild']['others_cores']:.2f} cores meanwhile)")
