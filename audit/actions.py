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

    # Catalogs, their grants, files, versions and direct uploads.
    CATALOG_CREATED = "catalog.created", "Created a catalog"
    CATALOG_UPDATED = "catalog.updated", "Changed a catalog"
    CATALOG_DELETED = "catalog.deleted", "Deleted a catalog"
    CATALOG_GRANTED = "catalog.granted", "Granted access to a catalog"
    CATALOG_GRANT_CHANGED = "catalog.grant_changed", "Changed access to a catalog"
    CATALOG_REVOKED = "catalog.revoked", "Revoked access to a catalog"
    FILE_CREATED = "file.created", "Added a file"
    FILE_RENAMED = "file.renamed", "Renamed a file"
    FILE_TRASHED = "file.trashed", "Moved a file to the trash"
    FILE_RESTORED = "file.restored", "Restored a file from the trash"
    FILE_PURGED = "file.purged", "Deleted a file for good"
    VERSION_CREATED = "version.created", "Added a version"
    VERSION_RESTORED = "version.restored", "Restored an earlier version"
    VERSION_DOWNLOADED = "version.downloaded", "Downloaded a version"
    UPLOAD_STARTED = "upload.started", "Started a direct upload"
