"""The loopback ports this benchmark may use (its share of the machine's port ranges)."""

import os
import socket


def _ports(variable: str, default: range) -> range:
    """A range from the environment ("19010-19029"), for a machine where the defaults belong to others."""
    first, _, last = os.environ.get(variable, "").partition("-")
    return range(int(first), int(last) + 1) if first and last else default


GUNICORN_PORTS = _ports("BENCH_GUNICORN_PORTS", range(8200, 8250))
POSTGRES_PORTS = _ports("BENCH_POSTGRES_PORTS", range(8250, 8260))
# scripts/with-solr's cluster for --engine solr: ZooKeeper, then the three nodes
SOLR_PORTS = _ports("BENCH_SOLR_PORTS", range(8260, 8264))


def free_port(ports: range) -> int:
    """The first port of `ports` free on 127.0.0.1."""
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports.start}-{ports.stop - 1} on 127.0.0.1")
