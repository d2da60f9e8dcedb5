"""Row locks for changes that depend on what a row holds now."""

from config.exceptions import ApplicationError


def locked(instance):
    """
    `instance` read again, and locked until the transaction ends.

    A change that checks a row first (is the file in the trash? is the user
    still active?) checks it as it is now, so that concurrent requests take
    turns, none writes back values another has just changed, and each
    records only what it changed. A row deleted meanwhile is a 404. Call it
    inside `transaction.atomic()`.
    """
    model = instance._meta.model
    row = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if row is None:
        raise ApplicationError(
            f"This {model._meta.verbose_name} was deleted meanwhile.",
            code="not_found",
            status_code=404,
        )
    return row
