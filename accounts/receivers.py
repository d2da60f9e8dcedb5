"""
Record logins, logouts, failed logins and lockouts, whichever way they came:
the API, the browsable API's login form or the Django admin's.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from accounts.lockout import lockout_username
from accounts.selectors import user_for_email
from audit.actions import Action
from audit.services import activity_record

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="accounts.record_login")
def record_login(sender, request, user, **kwargs):
    activity_record(action=Action.AUTH_LOGIN, actor=user, target=user)
    logger.info("User %s logged in", user.pk)


@receiver(user_logged_out, dispatch_uid="accounts.record_logout")
def record_logout(sender, request, user, **kwargs):
    if user is None:
        return
    activity_record(action=Action.AUTH_LOGOUT, actor=user, target=user)
    logger.info("User %s logged out", user.pk)


@receiver(user_login_failed, dispatch_uid="accounts.record_login_failure")
def record_login_failure(sender, credentials, request=None, **kwargs):
    if refused_during_lockout(request):
        return  # recorded once, as a lockout, by `record_lockout`
    user = record_refusal(
        Action.AUTH_LOGIN_FAILED, lockout_username(request, credentials)
    )
    logger.info("Login failed for user %s", user.pk if user else "-")


@receiver(user_locked_out, dispatch_uid="accounts.record_lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    user = record_refusal(Action.AUTH_LOCKED_OUT, username)
    logger.warning(
        "Login refused after too many failures, user %s", user.pk if user else "-"
    )


def record_refusal(action, email):
    """Record a refused login for `email`; return its user, if it is one."""
    email = email or ""
    user = user_for_email(email) if email else None
    activity_record(action=action, target=user, details={"email": email[:254]})
    return user


def refused_during_lockout(request):
    """
    Whether django-axes refused this login before checking its password.

    The failure that starts a lockout was checked, and counted: it is
    recorded both as a failure and as the lockout it causes.
    """
    counted = getattr(request, "axes_failures_since_start", None) is not None
    return getattr(request, "axes_locked_out", False) and not counted
