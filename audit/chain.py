"""
The hash chain that makes the activity log tamper-evident.

Entries are numbered by `sequence` without gaps. Each stores the hash of the
entry before it in `previous_hash` (`GENESIS_HASH` for entry #1) and its own
`hash`: the SHA-256 hex digest of its canonical form, the UTF-8 JSON object
of `HASHED_FIELDS` with sorted keys and no spaces, in which

- `created_at` is written in UTC, ISO 8601, to the microsecond;
- `actor_id` is an integer or null;
- `ip_address` is as recorded for IPv4, in Python's compressed form for
  IPv6, or null;
- `changes` and `details` are the JSON values stored, which the writer has
  made plain (see `audit.services.plain_json`) so that SQLite and
  PostgreSQL's jsonb give back exactly what was hashed.

So changing an entry breaks its hash, removing one leaves a gap in the
sequence, and inserting one breaks the link of the entry after it. The
canonical form must never change: old entries are verified with it.

The hash is not keyed: whoever can write to the database directly can
compute it too, and so rewrite the chain from some entry on, drop its newest
entries or append forged ones. A head that `verify_activity_log` printed,
kept outside the database and passed back with `--head`, shows the first
two; showing the third needs a key kept outside the database, which the
chain does not use yet.
"""

import hashlib
import ipaddress
import json
from contextlib import contextmanager
from datetime import UTC

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.actions import Action
from audit.models import ActivityLog
from config.locking import conflict_retry

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "sequence",
    "previous_hash",
    "created_at",
    "actor_id",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "changes",
    "details",
    "ip_address",
    "user_agent",
    "request_id",
)

# The PostgreSQL advisory lock that writers of the chain take in turn.
CHAIN_LOCK_KEY = int.from_bytes(b"activity", "big")

# Lets prune_activity_log past the PostgreSQL trigger that refuses deletes.
ALLOW_DELETE_SETTING = "audit.allow_delete"


def entry_hash(entry):
    """The hash of an entry, given as a model instance or a `values()` dict."""
    if isinstance(entry, ActivityLog):
        entry = {name: getattr(entry, name) for name in HASHED_FIELDS}

    canonical = {name: entry[name] for name in HASHED_FIELDS}
    canonical["created_at"] = timestamp_text(entry["created_at"])
    canonical["ip_address"] = ip_text(entry["ip_address"])

    text = json.dumps(
        canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


def timestamp_text(value):
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def ip_text(value):
    # IPv4 has one spelling; IPv6 has several, and PostgreSQL picks its own.
    if value and ":" in value:
        return ipaddress.ip_address(value).compressed
    return value or None


def chain_append(entry):
    """
    Link `entry` to the head of the chain and insert it.

    Runs in the caller's transaction and holds the chain until it ends, so
    that concurrent writers never fork the chain.
    """
    with transaction.atomic(savepoint=False):
        lock_chain()
        sequence, previous_hash = chain_head()

        entry.sequence = sequence + 1
        entry.previous_hash = previous_hash
        # Set here, under the lock, so that times follow the sequence.
        entry.created_at = timezone.now()
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


def lock_chain():
    """
    Make writers of the chain take turns until the transaction ends.

    The foreign keys of the rows the transaction wrote are checked first,
    rather than at commit: the row locks those checks take are waited for
    before taking the chain, never while holding it (see `config.locking`).
    A row they refer to that was deleted meanwhile is a `conflict_retry`.
    """
    # SQLite lets one writer at a time into the whole database anyway.
    if connection.vendor != "postgresql":
        return

    try:
        connection.check_constraints()
    except IntegrityError as error:
        raise conflict_retry() from error
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def chain_head():
    """The sequence and hash of the newest entry, or those before the first."""
    head = (
        ActivityLog.objects.order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    return head or (0, GENESIS_HASH)


def chain_start():
    """
    The sequence of the oldest entry there should be, and the hash it links to.

    That is #1 and `GENESIS_HASH`, unless the log was pruned: then it is the
    entry after the last one the latest `activity.pruned` anchor removed.
    """
    anchor = (
        ActivityLog.objects.filter(action=Action.ACTIVITY_PRUNED)
        .order_by("-sequence")
        .values_list("details", flat=True)
        .first()
    )
    if anchor is None:
        return 1, GENESIS_HASH
    return anchor["last_removed_sequence"] + 1, anchor["last_removed_hash"]


def delete_through(sequence):
    """Remove the entries up to `sequence`; only pruning may do this."""
    table = connection.ops.quote_name(ActivityLog._meta.db_table)
    with connection.cursor() as cursor:
        allow_delete(cursor, True)
        cursor.execute(
            f"DELETE FROM {table} WHERE sequence <= %s",  # noqa: S608
            [sequence],
        )
        allow_delete(cursor, False)


def allow_delete(cursor, allowed):
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT set_config(%s, %s, true)",
            [ALLOW_DELETE_SETTING, "on" if allowed else "off"],
        )


@contextmanager
def consistent_snapshot():
    """
    Read the log as it was at one moment, while writers go on appending.

    On PostgreSQL an outermost transaction is made repeatable read, so that
    a pruning in the middle of a long walk cannot confuse it.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
