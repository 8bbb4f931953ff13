"""The loopback ports this benchmark may use (its share of the machine's port ranges)."""

import socket

GUNICORN_PORTS = range(8200, 8250)
POSTGRES_PORTS = range(8250, 8260)


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
