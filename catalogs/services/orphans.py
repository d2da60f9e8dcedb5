"""Stored objects that no version refers to, and their removal."""

import logging
from datetime import timedelta

from django.utils import timezone

from catalogs import storage
from catalogs.models import Upload, Version

logger = logging.getLogger(__name__)


def orphan_objects(*, older_than: timedelta):
    """
    Stored objects under `catalogs/` that no version refers to.

    Objects younger than `older_than` are left out, since they may belong
    to an upload still on its way to the database; so are the objects of
    direct uploads that may still be completed. Yields `StoredObject`s,
    checked in batches.
    """
    cutoff = timezone.now() - older_than
    batch = []
    for stored in storage.stored_objects("catalogs/"):
        if stored.modified < cutoff:
            batch.append(stored)
        if len(batch) == 500:
            yield from unreferenced(batch)
            batch = []
    yield from unreferenced(batch)


def unreferenced(objects):
    keys = [stored.key for stored in objects]
    referenced = set(
        Version.objects.filter(storage_key__in=keys).values_list(
            "storage_key", flat=True
        )
    )
    referenced |= set(
        Upload.objects.filter(
            storage_key__in=keys,
            completed_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("storage_key", flat=True)
    )
    return [stored for stored in objects if stored.key not in referenced]


def orphans_delete(*, keys) -> None:
    """Remove stored objects that `orphan_objects` found, by their keys."""
    storage.delete_many(keys)
    logger.info("Removed %s orphaned stored object(s)", len(keys))
