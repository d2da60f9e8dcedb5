"""What the activity log tests share besides fixtures."""

from io import StringIO

from django.core.management import call_command
from django.db import connection

TRIGGER = "audit_activitylog_append_only"


def tamper(sql, params=()):
    """Run SQL on the log as someone with direct access to the database could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_activitylog DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_activitylog ENABLE TRIGGER {TRIGGER}")


def verify(*args):
    """Run `verify_activity_log`; its output, or CommandError when broken."""
    out = StringIO()
    call_command("verify_activity_log", *args, stdout=out)
    return out.getvalue()
