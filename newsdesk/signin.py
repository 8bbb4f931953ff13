"""Signing in, on the researchers' page and the admin's: say so before the attempt that locks an account.

django-axes counts failed sign-ins (how it keys them is set in settings: AXES_LOCKOUT_PARAMETERS)
and answers the locking attempt with templates/lockout.html. These forms read the same count, so a
researcher or an editor learns before the last try that one more wrong password pauses the account.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm


def attempts_left(request, username: str) -> int | None:
    """Wrong passwords still allowed for this sign-in before axes locks it (None when nothing counts them)."""
    if request is None:
        return None
    credentials = {"username": username}
    limit = get_failure_limit(request, credentials)
    return max(limit - AxesProxyHandler.get_failures(request, credentials), 0) if limit else None


def cool_off_words(request) -> str:
    """'15 minutes': how long a lockout lasts, in words."""
    cool_off = get_cool_off(request)
    return duration_words(cool_off) if cool_off else "a while"


def duration_words(duration: datetime.timedelta) -> str:
    """timedelta(minutes=15) -> '15 minutes'; timedelta(hours=1) -> '1 hour'."""
    minutes = round(duration.total_seconds() / 60)
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} hour{'s' if minutes != 60 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class LockoutWarningMixin:
    """A failed sign-in with one attempt left says what the next wrong password does."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if attempts_left(self.request, self.cleaned_data.get("username") or "") == 1:
                warning = forms.ValidationError(
                    f"One more wrong password pauses signing in to this account for {cool_off_words(self.request)}.",
                    code="last_attempt",
                )
                raise forms.ValidationError([*error.error_list, warning]) from error
            raise


class SignInForm(LockoutWarningMixin, AuthenticationForm):
    """The researchers' sign-in page (/accounts/login/)."""


class AdminSignInForm(LockoutWarningMixin, AdminAuthenticationForm):
    """The admin's sign-in page (/admin/login/)."""
