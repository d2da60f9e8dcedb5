from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """The activity log refuses to change or remove an entry."""


# An entry's fields in the order people read them: admin, API and CSV export.
ENTRY_FIELDS = [
    "sequence",
    "created_at",
    "actor",
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
    "previous_hash",
    "hash",
]


class ActivityLogQuerySet(models.QuerySet):
    """Entries can be read in bulk, never changed, removed or inserted in bulk."""

    def update(self, **kwargs):
        raise AppendOnlyError("Activity log entries cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Activity log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError(
            "Activity log entries cannot be deleted; "
            "prune old ones with `manage.py prune_activity_log`."
        )

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError(
            "Record entries one at a time with audit.services.activity_record."
        )


class ActivityLog(models.Model):
    """
    One action somebody (or the system) took, kept for good.

    Entries form a hash chain (see `audit.chain`): `sequence` numbers them
    without gaps, and `hash` covers the entry's content and `previous_hash`.
    The actor is kept by id and e-mail, with no database constraint, so
    that deleting a user neither fails nor changes an entry.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_email = models.CharField(max_length=254, blank=True)
    # Codes are checked against audit.actions.Action when recorded; they are
    # not field choices, so that a new code needs no migration.
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sequence = models.PositiveBigIntegerField(unique=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        default_permissions = ["view"]
        verbose_name = "entry"
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["action", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self):
        actor = self.actor_email or "system"
        return f"#{self.sequence} {actor} {self.action} {self.target_label}".rstrip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Activity log entries cannot be changed.")
        if not self.hash:
            raise AppendOnlyError("Record entries with audit.services.activity_record.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Activity log entries cannot be deleted.")
