"""
Row locks, and the order in which a transaction takes them.

PostgreSQL runs requests side by side. Two transactions that each wait for
a lock the other holds deadlock: PostgreSQL aborts one of them, and its
request answers 409 `conflict_retry`. Every change follows these rules so
that Fichero's own changes never deadlock with each other.

1. The activity log's chain is the last lock a transaction takes.
   `activity_record` takes it (`audit.chain.lock_chain`), and it stays
   taken until the transaction ends, for every writer at once. So a change
   records as its last step, and writes nothing after it but rows it
   created or has locked already; a deletion deletes first and records
   after, with a `Target` taken before. PostgreSQL checks the foreign keys
   of new rows at commit, taking FOR KEY SHARE on the rows they refer to:
   `lock_chain` makes those checks run before it takes the chain.

2. Parents before children: a transaction locks rows from the top of the
   tree down, catalog, then file, then version; catalog, then
   conversation; a file (or for a new file, its catalog) before an upload.
   A lock taken with `select_for_update()` names its table with
   `of=("self",)`: otherwise it also locks every row its query joins, such
   as the file that a version's default ordering joins, after the child.

3. A change to a row takes `locked()`, FOR NO KEY UPDATE: changes to the
   row take turns, while rows that refer to it can still be added (their
   foreign key checks take FOR KEY SHARE, which it lets through).

4. A creation takes `kept()`, FOR KEY SHARE, on the parent of what it
   creates (or `locked()` when it changes the parent too, as a new version
   does its file) before writing, so that a parent deleted meanwhile is a
   clean 404 rather than a foreign key error at commit.

5. A deletion takes `locked_for_delete()`, FOR UPDATE, which waits for the
   creations under way below the row and holds off new ones; then, parents
   before children, `lock_for_delete()` on the rows below it that can get
   children meanwhile (a catalog's files, their versions, its
   conversations), before Django collects what to delete. A child added
   after the collection would be missed, and the deletion fail.

6. No lock is held while waiting for something slow outside the database:
   Bedrock answers outside any transaction. The bytes of a new version go
   to storage while its file is locked, so that versions are numbered in
   turn, but before the chain is taken.

`tests/*/test_lock_order.py` forces the orders in which requests meet.

Users are not kept by the changes that refer to them (as owner, uploader,
grantee): only a user who owns nothing can be deleted. A change racing the
deletion fails its foreign key check in `lock_chain`, and answers 409
`conflict_retry`; tried again, it finds the user gone.

SQLite lets one writer at a time into the whole database, and ignores all
of these locks.
"""

from django.db import connection
from rest_framework import status

from config.exceptions import ApplicationError, Conflict

CONFLICT_RETRY = (
    "Another change to the same items happened at the same moment. Try again."
)


class DeletedMeanwhile(ApplicationError):
    """What a change was about was deleted by another one at the same moment."""

    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"

    def __init__(self, model):
        super().__init__(f"This {model._meta.verbose_name} was deleted meanwhile.")


def conflict_retry():
    """The error of a change that met another one and may simply be retried."""
    return Conflict(CONFLICT_RETRY, code="conflict_retry")


def locked(instance):
    """
    `instance` read again, and locked against other changes until the
    transaction ends.

    A change that checks a row first (is the file in the trash? is the user
    still active?) checks it as it is now, so that concurrent requests take
    turns, none writes back values another has just changed, and each
    records only what it changed. Rows referring to it can still be added.
    A row deleted meanwhile raises `DeletedMeanwhile`. Call it inside
    `transaction.atomic()`.
    """
    return fresh_row(instance, no_key=True)


def locked_for_delete(instance):
    """`instance` read again, and locked to be deleted; see `locked()`."""
    return fresh_row(instance, no_key=False)


def fresh_row(instance, *, no_key):
    model = instance._meta.model
    # Only this row: a default ordering by a relation would join, and lock,
    # the parent row too, after its child.
    rows = model._default_manager.select_for_update(no_key=no_key, of=("self",))
    row = rows.filter(pk=instance.pk).order_by().first()
    if row is None:
        raise DeletedMeanwhile(model)
    return row


def lock_for_delete(rows):
    """
    Lock the rows of the queryset `rows` to be deleted, in the order of
    their primary keys, so that nothing is added under them meanwhile.
    """
    rows = rows.select_for_update(of=("self",)).order_by("pk")
    list(rows.values_list("pk", flat=True))


def kept(instance):
    """
    Check that `instance` still exists, and keep it from being deleted until
    the transaction ends.

    The lock is the one a foreign key check takes, taken before writing a
    row that refers to `instance`: changes to `instance` go on meanwhile.
    A row deleted meanwhile raises `DeletedMeanwhile`. Returns `instance`.
    """
    model = instance._meta.model
    if connection.vendor != "postgresql":
        found = model._default_manager.filter(pk=instance.pk).exists()
    else:
        found = key_share(model, instance.pk)
    if not found:
        raise DeletedMeanwhile(model)
    return instance


def key_share(model, pk):
    # Django's select_for_update() has no FOR KEY SHARE.
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    value = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE {column} = %s FOR KEY SHARE",  # noqa: S608
            [value],
        )
        return cursor.fetchone() is not None
