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
| `admin.added` | an object is added in the Django admin | the object |
| `admin.changed` | an object is changed in the Django admin | the object |
| `admin.deleted` | an object is deleted in the Django admin | the object |
| `activity.exported` | an admin downloads the log as CSV | |
| `activity.pruned` | `prune_activity_log` removes old entries | |
| `auth.login` | a user logs in | the user |
| `auth.login_failed` | a login is refused | |
| `auth.logout` | a user logs out | the user |

`admin.added` and `admin.changed` keep the fields set or changed in
`changes`, and the objects that inline forms added, changed or deleted in
`details["inlines"]`. `activity.exported` keeps the filters in
`details["query"]`. `activity.pruned` keeps the cut-off, the number of
entries removed and the sequence and hash of the last one (see
`audit.chain`).

The admin codes are generic: an admin whose save or delete goes through a
service that records its own code (`catalog.updated`, say) records that one
instead, never both. See `audit.admin.ActivityRecordingMixin`.
"""

from django.db import models


class Action(models.TextChoices):
    """Every action the activity log records, one code each."""

    # Django admin, for changes that no service of the model records.
    ADMIN_ADDED = "admin.added", "Added in the admin"
    ADMIN_CHANGED = "admin.changed", "Changed in the admin"
    ADMIN_DELETED = "admin.deleted", "Deleted in the admin"

    # The activity log itself.
    ACTIVITY_EXPORTED = "activity.exported", "Exported the activity log"
    ACTIVITY_PRUNED = "activity.pruned", "Pruned the activity log"

    AUTH_LOGIN = "auth.login", "Logged in"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Failed to log in"
    AUTH_LOGOUT = "auth.logout", "Logged out"
