"""A throwaway PostgreSQL server on loopback for the PostgreSQL peer (as scripts/with-postgres
starts one for the tests), or the server DATABASE_URL names when it is set."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from load import log, process_tree
from ports import POSTGRES_PORTS, free_port

class Server:
    """start() returns a connection URL; stop() removes everything a throwaway server left."""

    def __init__(self):
        self.url, self.data, self.bin, self.run_as, self.pid = "", None, None, None, None

    def start(self) -> str:
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            self.url = os.environ["DATABASE_URL"]
            log(f"PostgreSQL peer: using DATABASE_URL ({self.url.split('@')[-1]})")
            return self.url
        initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        if not initdbs:
            if os.geteuid() != 0:
                raise SystemExit("PostgreSQL is missing: apt-get install postgresql, or set DATABASE_URL")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        self.bin = initdbs[-1].parent
        self.run_as = "postgres" if os.geteuid() == 0 else None  # initdb refuses to run as root
        self.data = Path(tempfile.mkdtemp(prefix="newsdesk-bench-pg."))
        if self.run_as:
            shutil.chown(self.data, self.run_as)
        port = free_port(POSTGRES_PORTS)
        self._as_user(str(self.bin / "initdb"), "-D", str(self.data / "db"), "-U", "postgres", "--auth=trust")
        # A throwaway copy: durability off for a faster build; JIT off as usual for short queries.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {self.data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c jit=off"
        self._as_user(str(self.bin / "pg_ctl"), "-D", str(self.data / "db"), "-o", options, "-l", str(self.data / "log"), "-w", "start")
        self.pid = int((self.data / "db" / "postmaster.pid").read_text().split()[0])
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        log(f"PostgreSQL peer: throwaway server {self.version()} on 127.0.0.1:{port}")
        return self.url

    def version(self) -> str:
        out = subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True).stdout
        return out.split()[2] if len(out.split()) > 2 else "?"

    def _as_user(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        subprocess.run(prefix + list(command), cwd="/", check=True, capture_output=True, text=True)

    def live_pids(self) -> list[int]:
        return process_tree(self.pid) if self.pid else []

    def stop(self) -> None:
        if self.data:
            try:
                self._as_user(str(self.bin / "pg_ctl"), "-D", str(self.data / "db"), "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError:
                time.sleep(1)
            shutil.rmtree(self.data, ignore_errors=True)
            self.data = self.pid = None
