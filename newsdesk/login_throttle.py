"""Throttle password guessing per source address, on top of django-axes' lock per account and address.

axes locks one account for one address after AXES_FAILURE_LIMIT wrong passwords. Spraying a few
guesses at each of many accounts stays under that, so this backend also refuses every sign-in
from an address with LOGIN_FAILURES_PER_ADDRESS failures within AXES_COOLOFF_TIME (axes' own
records of failures, summed over accounts; for an IPv6 address, over its /64, which one client can
pick addresses from at will); axes' middleware answers with its lockout page.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .client_address import parsed_address


class SourceThrottledAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username, password, **kwargs)  # raises when this account is locked here
        if settings.AXES_ENABLED and address_failures(request.axes_ip_address) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed sign-ins from this address")


IPV6_SOURCE_PREFIX = 64  # one IPv6 source: a /64 is what a single home or server is given to pick addresses from


def address_failures(address: str | None) -> int:
    """Failed sign-ins from the address (an IPv6 one: from its /64), over every account, within the cool-off time."""
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    ip = parsed_address(address)
    if ip is None or ip.version == 4:
        return recent.filter(ip_address=address).aggregate(total=Sum("failures_since_start"))["total"] or 0
    source = ipaddress.ip_network(f"{ip}/{IPV6_SOURCE_PREFIX}", strict=False)
    return sum(
        failures for other, failures in recent.filter(ip_address__contains=":").values_list("ip_address", "failures_since_start")
        if (other_ip := parsed_address(other)) is not None and other_ip in source
    )
