from django.db import models


class Action(models.TextChoices):
    """Every action the activity log records, one code each."""

    AUTH_LOGIN = "auth.login", "Logged in"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Failed to log in"
    AUTH_LOGOUT = "auth.logout", "Logged out"
