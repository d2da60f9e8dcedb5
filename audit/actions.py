"""
Every action the activity log records: one list for all apps.

A code is `<area>.<event>`, the event in the past tense. Each app keeps its
codes in a block of its own in `Action` and a row for each in this table; a
test checks that the two agree. The target is the object acted on, recorded
as its model label (`catalogs.catalog`), primary key and `str()`. `changes`
maps each changed field to `[old, new]`; `details` holds any other fact.
Neither holds passwords, tokens, question text or file contents: keys that
name a password, token, secret or credential are stored as "[redacted]".

| code | recorded when | target |
| --- | --- | --- |
| `admin.deleted` | a failed login is deleted, lifting its lockout | the attempt |
| `activity.exported` | an admin downloads the log as CSV | |
| `activity.pruned` | `prune_activity_log` removes old entries | |
| `auth.login` | a user logs in | the user |
| `auth.login_failed` | a login is refused | the user, if the address is one |
| `auth.logout` | a user logs out | the user |
| `auth.locked_out` | logins are refused after too many failures | the user, if any |
| `auth.password_changed` | a password is changed or set | the user |
| `auth.token_created` | an API token is created | its user |
| `auth.token_revoked` | an API token is revoked | its user |
| `user.registered` | someone signs up | the user |
| `user.created` | an admin creates a user | the user |
| `user.updated` | a user's profile, role or status changes | the user |
| `user.deactivated` | a user is deactivated | the user |
| `user.deleted` | a user is deleted | the user |
| `domain.created` | a domain is allowed | the domain |
| `domain.updated` | a domain changes | the domain |
| `domain.deactivated` | a domain is deactivated | the domain |
| `domain.deleted` | a domain is deleted | the domain |
| `catalog.created` | a catalog is created | the catalog |
| `catalog.updated` | a catalog is renamed or described | the catalog |
| `catalog.deleted` | a catalog is deleted, with its files | the catalog |
| `permission.granted` | a user is given access to a catalog | the catalog |
| `permission.changed` | a grant's access level changes | the catalog |
| `permission.revoked` | a grant is removed | the catalog |
| `file.uploaded` | a new file and its first version are stored | the file |
| `file.renamed` | a file is renamed | the file |
| `file.trashed` | a file is moved to the trash | the file |
| `file.restored` | a file comes back from the trash | the file |
| `file.purged` | a file and its stored objects are removed | the file |
| `file.downloaded` | a version of a file is downloaded | the version |
| `version.created` | a version is added to a file there already | the version |
| `version.restored` | a new version copies an earlier one | the version |
| `version.text_extracted` | a version's text extraction ends | the version |
| `upload.started` | a direct upload to S3 is started | the upload |
| `conversation.created` | a conversation is started | the conversation |
| `conversation.renamed` | a conversation is renamed | the conversation |
| `conversation.deleted` | a conversation is deleted | the conversation |
| `message.sent` | a question is asked (its length, never its text) | the conversation |

`activity.exported` keeps the filters in `details["query"]`.
`activity.pruned` keeps the cut-off, the number of entries removed and the
sequence and hash of the last one (see `audit.chain`).

Every save and delete in the Django admin goes through the service of its
model, which records its own code (`catalog.updated`, say), except in
django-axes' list of failed logins: deleting an attempt there records
`admin.deleted` (see `audit.admin.RecordedDeletesMixin`).
"""

from django.db import models


class Action(models.TextChoices):
    """Every action the activity log records, one code each."""

    # Django admin, for deletes that no service of the model records.
    ADMIN_DELETED = "admin.deleted", "Deleted in the admin"

    # The activity log itself.
    ACTIVITY_EXPORTED = "activity.exported", "Exported the activity log"
    ACTIVITY_PRUNED = "activity.pruned", "Pruned the activity log"

    # Accounts: authentication, users and allowed domains.
    AUTH_LOGIN = "auth.login", "Logged in"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Failed to log in"
    AUTH_LOGOUT = "auth.logout", "Logged out"
    AUTH_LOCKED_OUT = "auth.locked_out", "Locked out after failed logins"
    AUTH_PASSWORD_CHANGED = "auth.password_changed", "Changed a password"
    AUTH_TOKEN_CREATED = "auth.token_created", "Created an API token"
    AUTH_TOKEN_REVOKED = "auth.token_revoked", "Revoked an API token"
    USER_REGISTERED = "user.registered", "Signed up"
    USER_CREATED = "user.created", "Created a user"
    USER_UPDATED = "user.updated", "Updated a user"
    USER_DEACTIVATED = "user.deactivated", "Deactivated a user"
    USER_DELETED = "user.deleted", "Deleted a user"
    DOMAIN_CREATED = "domain.created", "Allowed a domain"
    DOMAIN_UPDATED = "domain.updated", "Updated a domain"
    DOMAIN_DEACTIVATED = "domain.deactivated", "Deactivated a domain"
    DOMAIN_DELETED = "domain.deleted", "Deleted a domain"

    # Catalogs, their grants, files, versions and direct uploads.
    CATALOG_CREATED = "catalog.created", "Created a catalog"
    CATALOG_UPDATED = "catalog.updated", "Changed a catalog"
    CATALOG_DELETED = "catalog.deleted", "Deleted a catalog"
    PERMISSION_GRANTED = "permission.granted", "Granted access to a catalog"
    PERMISSION_CHANGED = "permission.changed", "Changed access to a catalog"
    PERMISSION_REVOKED = "permission.revoked", "Revoked access to a catalog"
    FILE_UPLOADED = "file.uploaded", "Uploaded a file"
    FILE_RENAMED = "file.renamed", "Renamed a file"
    FILE_TRASHED = "file.trashed", "Moved a file to the trash"
    FILE_RESTORED = "file.restored", "Restored a file from the trash"
    FILE_PURGED = "file.purged", "Deleted a file for good"
    VERSION_CREATED = "version.created", "Added a version"
    VERSION_RESTORED = "version.restored", "Restored an earlier version"
    FILE_DOWNLOADED = "file.downloaded", "Downloaded a file"
    UPLOAD_STARTED = "upload.started", "Started a direct upload"

    # Conversations, and the text extraction that feeds them.
    CONVERSATION_CREATED = "conversation.created", "Created a conversation"
    CONVERSATION_RENAMED = "conversation.renamed", "Renamed a conversation"
    CONVERSATION_DELETED = "conversation.deleted", "Deleted a conversation"
    MESSAGE_SENT = "message.sent", "Sent a message"
    VERSION_TEXT_EXTRACTED = "version.text_extracted", "Extracted the text of a version"
