"""What the activity log tests share besides fixtures."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

TRIGGER = "audit_activitylog_append_only"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL"
)


def tamper(sql, params=()):
    """Run SQL on the log as someone with direct access to the database could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_activitylog DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_activitylog ENABLE TRIGGER {TRIGGER}")


class Clock:
    """The time `timezone.now()` answers, moved by the test."""

    def __init__(self):
        self.now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def set(self, *args):
        self.now = datetime(*args, tzinfo=UTC)


def verify(*args):
    """Run `verify_activity_log`; its output, or CommandError when broken."""
    out = StringIO()
    call_command("verify_activity_log", *args, stdout=out)
    return out.getvalue()
