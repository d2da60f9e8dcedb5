"""
How django-axes sees a login attempt, and what a locked-out client is told.

Failures are counted per account (the normalized e-mail, so that changing
the case of an address does not start a fresh count) and per client address,
in the database, so that every Lambda instance shares them.
"""

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from accounts.models import User


def lockout_username(request, credentials):
    """The account a login attempt is for: its e-mail, trimmed and lower-cased."""
    email = (credentials or {}).get("username")
    return User.objects.normalize_email(email) or None


def lockout_message():
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return (
        "Too many failed logins for this account or from this address. "
        f"Try again in {minutes} minutes."
    )


def lockout_retry_after():
    """Seconds to wait, for `Retry-After`: at most the whole cool-off."""
    return str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def lockout_response(request, original_response, credentials):
    """
    Answer a refused login form: a page for a browser, JSON for the API.

    The API's own login views raise `LockedOut` instead; this answers the
    Django admin's and the browsable API's login forms.
    """
    status = settings.AXES_HTTP_RESPONSE_CODE
    wants_page = "text/html" in request.headers.get("Accept", "")
    if request.path_info.startswith("/api/") and not wants_page:
        response = JsonResponse(
            {"detail": lockout_message(), "code": "locked_out"}, status=status
        )
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"title": "Too many failed logins", "message": lockout_message()},
            status=status,
        )
    response["Retry-After"] = lockout_retry_after()
    return response
