from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Conversation(models.Model):
    """
    A user's chat, optionally about one catalog.

    Deleting the catalog deletes the conversations about it: kept without
    their catalog, they would silently start searching every catalog. A
    user who owns conversations is never deleted, only deactivated.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    catalog = models.ForeignKey(
        "catalogs.Catalog",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversations",
    )
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self):
        # Titles often repeat a question, which is kept out of the audit log.
        return f"Conversation {self.pk}"


class Message(models.Model):
    """One turn of a conversation; assistant turns carry their citations."""

    class Role(models.TextChoices):
        USER = "user", "User"
        ASSISTANT = "assistant", "Assistant"

    class Status(models.TextChoices):
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=9, choices=Role.choices)
    content = models.TextField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OK)
    citations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "id"]

    def __str__(self):
        return f"{self.get_role_display()} message {self.pk}"

    def cites(self, file_ids) -> bool:
        """Whether this turn quotes any of the files ``file_ids``."""
        return any(citation["file"] in file_ids for citation in self.citations)


class Passage(models.Model):
    """
    A window of a version's text, the unit that search finds and cites.

    ``search_vector`` is filled on PostgreSQL only; SQLite indexes the text in
    an FTS5 table kept in step by triggers (see the migrations).
    """

    version = models.ForeignKey(
        "catalogs.Version", on_delete=models.CASCADE, related_name="passages"
    )
    position = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="passage_unique_position"
            )
        ]

    def __str__(self):
        return f"{self.version} passage {self.position}"
