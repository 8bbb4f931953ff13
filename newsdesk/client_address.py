"""The address a request comes from, believing X-Forwarded-For only when a trusted proxy sent it.

Behind the documented nginx every request reaches gunicorn from 127.0.0.1; nginx appends the
address it saw to X-Forwarded-For ($proxy_add_x_forwarded_for), so the client is the right-most
entry that is not itself a trusted proxy. Entries further left are whatever the client wrote:

    REMOTE_ADDR=127.0.0.1, X-Forwarded-For: "6.6.6.6, 203.0.113.9"  -> "203.0.113.9"
    REMOTE_ADDR=198.51.100.4 (not a proxy), X-Forwarded-For: "1.2.3.4" -> "198.51.100.4"
"""

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request) -> str:
    """The client's address for login throttling (axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if parsed_address(address) is None:
            return remote  # a trusted proxy never writes garbage: do not guess past it
        if not _is_trusted(address):
            return address
    return forwarded[0] if forwarded else remote


def parsed_address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address as an ipaddress object, or None when it is not one."""
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _is_trusted(address: str) -> bool:
    parsed = parsed_address(address)
    return parsed is not None and any(parsed in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@functools.lru_cache(maxsize=4)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
