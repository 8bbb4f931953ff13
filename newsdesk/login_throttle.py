"""Throttle password guessing per source address, on top of django-axes' lock per account and address.

axes locks one account for one address after AXES_FAILURE_LIMIT wrong passwords. Spraying a few
guesses at each of many accounts stays under that, so this backend also refuses every sign-in
from an address with LOGIN_FAILURES_PER_ADDRESS failures within AXES_COOLOFF_TIME (axes' own
records of failures, summed over accounts); axes' middleware answers with its lockout page.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class SourceThrottledAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username, password, **kwargs)  # raises when this account is locked here
        if settings.AXES_ENABLED and address_failures(request.axes_ip_address) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed sign-ins from this address")


def address_failures(address: str | None) -> int:
    """Failed sign-ins from the address, over every account, within the cool-off time."""
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
