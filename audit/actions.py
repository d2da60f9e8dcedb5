from django.db import models


class Action(models.TextChoices):
    """Every action the activity log records, one code each."""

    AUTH_LOGIN = "auth.login", "Logged in"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Failed to log in"
    AUTH_LOGOUT = "auth.logout", "Logged out"

    # Accounts: authentication, users and allowed domains.
    AUTH_LOCKED_OUT = "auth.locked_out", "Locked out after failed logins"
    AUTH_PASSWORD_CHANGED = "auth.password_changed", "Changed a password"
    AUTH_TOKEN_CREATED = "auth.token_created", "Created an API token"
    AUTH_TOKEN_REVOKED = "auth.token_revoked", "Revoked an API token"
    USER_REGISTERED = "user.registered", "Signed up"
    USER_CREATED = "user.created", "Created a user"
    USER_CHANGED = "user.changed", "Changed a user"
    USER_DEACTIVATED = "user.deactivated", "Deactivated a user"
    USER_DELETED = "user.deleted", "Deleted a user"
    DOMAIN_CREATED = "domain.created", "Allowed a domain"
    DOMAIN_CHANGED = "domain.changed", "Changed a domain"
    DOMAIN_DEACTIVATED = "domain.deactivated", "Deactivated a domain"
    DOMAIN_DELETED = "domain.deleted", "Deleted a domain"
