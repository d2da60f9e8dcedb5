import uuid

from django.conf import settings
from django.db import models


class Access(models.TextChoices):
    """What a grant allows on a catalog; each level includes the ones before."""

    READ = "read", "Read"
    WRITE = "write", "Write"
    MANAGE = "manage", "Manage"


ACCESS_RANK = {Access.READ: 1, Access.WRITE: 2, Access.MANAGE: 3}


class Catalog(models.Model):
    """A named collection of files with an owner."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="catalogs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class CatalogPermission(models.Model):
    """A grant of one access level on one catalog to one user."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="permissions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalog_permissions",
    )
    access = models.CharField(max_length=8, choices=Access.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "user"], name="catalog_permission_unique_user"
            )
        ]

    def __str__(self):
        return f"{self.user} may {self.access} {self.catalog}"


class File(models.Model):
    """A document in a catalog; its content lives in its versions."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=1024)
    current_version = models.ForeignKey(
        "Version",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept apart from the versions so that a number is never handed out twice.
    last_version_number = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    trashed_at = models.DateTimeField(null=True, blank=True)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_trashed(self):
        return self.trashed_at is not None


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class Version(models.Model):
    """One immutable upload of a file."""

    file = models.ForeignKey(File, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    storage_key = models.CharField(max_length=1024, unique=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=255)
    original_name = models.CharField(max_length=1024)
    comment = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    extraction_status = models.CharField(
        max_length=8,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
    )
    extraction_error = models.TextField(blank=True)

    class Meta:
        ordering = ["file", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "number"], name="version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.file} v{self.number}"


class Upload(models.Model):
    """
    A direct upload: bytes sent by a client straight to storage.

    Started with the announced name and size, it becomes a new file (or a new
    version of `file`) when its starter completes it: its object is then
    copied to the key of the new version and removed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    catalog = models.ForeignKey(
        Catalog, on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.ForeignKey(
        File,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uploads",
        help_text="The file this upload adds a version to; empty for a new file.",
    )
    name = models.CharField(max_length=1024, help_text="Name of the new file.")
    original_name = models.CharField(max_length=1024)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(
        max_length=255,
        blank=True,
        help_text="As announced; the stored type is sniffed.",
    )
    comment = models.TextField(blank=True)
    storage_key = models.CharField(max_length=1024, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="When it can no longer be completed.")
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.OneToOneField(
        Version,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="upload",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"upload of {self.original_name}"

    @property
    def is_completed(self):
        return self.completed_at is not None
