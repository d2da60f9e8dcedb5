"""
Every change to catalogs, grants, files and versions.

The API, the admin and the management commands all call these functions, so
each rule lives here once. Each change is recorded in the activity log in
its own transaction. Stored bytes and rows never disagree for long: a failed
write to storage creates no rows, a failed write to the database removes the
object it had just stored, and objects are deleted only once the rows that
referred to them are gone.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.actions import Action
from audit.services import activity_record
from catalogs import storage
from catalogs.content import (
    ContentFacts,
    clean_display_name,
    describe_chunks,
    safe_key_name,
)
from catalogs.models import Access, Catalog, CatalogPermission, File, Upload, Version
from catalogs.permissions import can_create_catalogs
from catalogs.signals import version_created
from config.exceptions import ApplicationError, Conflict

logger = logging.getLogger(__name__)

# The largest object S3 accepts in one POST; bigger needs multipart uploads.
DIRECT_UPLOAD_MAX_BYTES = 5 * 1024**3
# How long a started direct upload may wait to be completed.
UPLOAD_COMPLETE_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class Download:
    """Where a version's bytes come from: a URL to redirect to, or a file."""

    version: Version
    url: str | None = None
    stream: object = None


@dataclass(frozen=True)
class DirectUpload:
    """A started direct upload and the presigned request that sends its bytes."""

    upload: Upload
    url: str
    fields: dict
    expires_at: datetime
    method: str = "POST"


# Catalogs


def catalog_create(*, owner, name: str, description: str = "", actor=None) -> Catalog:
    """
    Create a catalog owned (and so managed) by `owner`.

    `actor`, who is the owner unless an admin creates it for them, is who
    the activity log names.
    """
    if not can_create_catalogs(owner):
        raise ApplicationError(
            "Only editors and admins can create and own catalogs.",
            code="permission_denied",
            status_code=403,
        )

    with transaction.atomic():
        catalog = Catalog.objects.create(
            name=name, description=description, owner=owner
        )
        activity_record(
            action=Action.CATALOG_CREATED,
            actor=actor or owner,
            target=catalog,
            details={"name": name},
        )
    logger.info("Catalog %s created for user %s", catalog.pk, owner.pk)
    return catalog


def catalog_update(
    *, catalog: Catalog, actor, name: str | None = None, description: str | None = None
) -> Catalog:
    """Rename or describe a catalog; only what changes is saved and recorded."""
    wanted = {"name": name, "description": description}
    changes = {
        field: [getattr(catalog, field), value]
        for field, value in wanted.items()
        if value is not None and value != getattr(catalog, field)
    }
    if not changes:
        return catalog

    with transaction.atomic():
        for field, (_, value) in changes.items():
            setattr(catalog, field, value)
        catalog.save(update_fields=[*changes, "updated_at"])
        activity_record(
            action=Action.CATALOG_UPDATED, actor=actor, target=catalog, changes=changes
        )
    return catalog


def catalog_delete(*, catalog: Catalog, actor, force: bool = False) -> None:
    """
    Delete a catalog, refusing while it holds files unless `force` is set.

    With `force`, its files go too, and their stored objects are removed
    once the deletion has committed.
    """
    with transaction.atomic():
        file_count = catalog.files.count()
        if file_count and not force:
            raise Conflict(
                f"This catalog still holds {file_count} file(s). Purge them "
                "first, or delete the catalog with ?force=true to delete its "
                "files too.",
                code="catalog_not_empty",
            )

        keys = stored_keys_of(versions=Version.objects.filter(file__catalog=catalog))
        keys += pending_upload_keys(catalog.uploads.all())
        activity_record(
            action=Action.CATALOG_DELETED,
            actor=actor,
            target=catalog,
            details={"name": catalog.name, "files": file_count},
        )
        catalog_id = catalog.pk
        catalog.delete()
        transaction.on_commit(partial(storage.delete_many, keys))
    logger.info("Catalog %s deleted with %s file(s)", catalog_id, file_count)


def stored_keys_of(*, versions):
    return list(versions.values_list("storage_key", flat=True))


def pending_upload_keys(uploads):
    return list(
        uploads.filter(completed_at__isnull=True).values_list("storage_key", flat=True)
    )


# Grants


def grant_refusal(*, catalog: Catalog, user) -> ApplicationError | None:
    """Why `user` cannot be given a grant on `catalog`, if they cannot."""
    if user.pk == catalog.owner_id:
        return ApplicationError(
            "The owner already manages this catalog.", code="owner_has_access"
        )
    if not user.is_active or not user.domain.is_active:
        return ApplicationError(
            "Access can only be granted to active users of an allowed domain.",
            code="user_inactive",
        )
    return None


def catalog_grant(
    *, catalog: Catalog, actor, user, access: Access
) -> CatalogPermission:
    """Give `user` an access level on `catalog`."""
    refusal = grant_refusal(catalog=catalog, user=user)
    if refusal is not None:
        raise refusal

    try:
        with transaction.atomic():
            permission = CatalogPermission.objects.create(
                catalog=catalog, user=user, access=access, granted_by=actor
            )
            activity_record(
                action=Action.CATALOG_GRANTED,
                actor=actor,
                target=catalog,
                details={"user": user.pk, "access": access},
            )
    except IntegrityError:
        raise Conflict(
            "This user already has access to this catalog; change their grant instead.",
            code="already_granted",
        ) from None
    return permission


def catalog_grant_change(
    *, permission: CatalogPermission, actor, access: Access
) -> CatalogPermission:
    """Change the access level of an existing grant."""
    if permission.access == access:
        return permission

    with transaction.atomic():
        changes = {"access": [permission.access, access]}
        permission.access = access
        permission.save(update_fields=["access"])
        activity_record(
            action=Action.CATALOG_GRANT_CHANGED,
            actor=actor,
            target=permission.catalog,
            changes=changes,
            details={"user": permission.user_id},
        )
    return permission


def catalog_revoke(*, permission: CatalogPermission, actor) -> None:
    """Take a grant away."""
    with transaction.atomic():
        activity_record(
            action=Action.CATALOG_REVOKED,
            actor=actor,
            target=permission.catalog,
            details={"user": permission.user_id, "access": permission.access},
        )
        permission.delete()


# Files and versions


def file_upload(
    *, catalog: Catalog, uploader, content, name: str = "", comment: str = ""
) -> File:
    """
    Create a file in `catalog` whose version 1 holds `content`.

    `content` is a Django `File` (an uploaded file, or one opened from
    disk); its name is kept as the original name, and `name`, when given,
    becomes the file's display name instead.
    """
    original_name = display_name(content.name)
    facts = describe_chunks(content.chunks(), name=original_name)
    version = version_add(
        catalog=catalog,
        file=None,
        name=display_name(name) if name else original_name,
        uploader=uploader,
        original_name=original_name,
        comment=comment,
        facts=facts,
        store=partial(storage.save, content=content, content_type=facts.content_type),
    )
    return version.file


def version_upload(*, file: File, uploader, content, comment: str = "") -> Version:
    """Add a version holding `content` to `file`; it becomes the current one."""
    original_name = display_name(content.name)
    facts = describe_chunks(content.chunks(), name=original_name)
    return version_add(
        catalog=file.catalog,
        file=file,
        uploader=uploader,
        original_name=original_name,
        comment=comment,
        facts=facts,
        store=partial(storage.save, content=content, content_type=facts.content_type),
    )


def document_import(
    *, catalog: Catalog, uploader, content, comment: str = ""
) -> tuple[File, bool]:
    """
    Add `content` to `catalog` under its own name.

    It becomes a new version of the file outside the trash with that name,
    or else a new file. Returns the file and whether it is new.
    """
    name = display_name(content.name)
    existing = catalog.files.filter(name=name, trashed_at__isnull=True).first()
    if existing is None:
        file = file_upload(
            catalog=catalog, uploader=uploader, content=content, comment=comment
        )
        return file, True

    version_upload(file=existing, uploader=uploader, content=content, comment=comment)
    return existing, False


def version_restore(*, version: Version, actor, comment: str = "") -> Version:
    """
    Add a version with the content of an earlier one.

    The bytes are copied inside the storage (server-side on S3), never
    downloaded and sent again.
    """
    copy = partial(storage.copy, version.storage_key, content_type=version.content_type)
    return version_add(
        catalog=version.file.catalog,
        file=version.file,
        uploader=actor,
        original_name=version.original_name,
        comment=comment or f"Restored from version {version.number}.",
        facts=ContentFacts(
            size=version.size, sha256=version.sha256, content_type=version.content_type
        ),
        store=copy,
        action=Action.VERSION_RESTORED,
        details={"restored_from": version.number},
    )


def version_add(
    *,
    catalog: Catalog,
    file: File | None,
    uploader,
    original_name: str,
    comment: str,
    facts: ContentFacts,
    store,
    name: str = "",
    action: Action = Action.VERSION_CREATED,
    details: dict | None = None,
    discard_on_failure: bool = True,
) -> Version:
    """
    Store bytes and record them as the next version of `file`.

    With `file` None, a file called `name` is created first. `store(key)`
    puts the bytes in storage under a key built here and returns the key
    it used. The file row stays locked from numbering to commit, so
    concurrent uploads get consecutive numbers. When the database fails
    after `store` ran, the stored object is removed again, unless
    `discard_on_failure` is off because the object was there before.
    """
    stored_key = None
    try:
        with transaction.atomic():
            file = file_for_new_version(
                catalog=catalog, file=file, name=name, actor=uploader
            )
            number = file.last_version_number + 1
            stored_key = store(version_key(file, number, original_name))
            version = Version.objects.create(
                file=file,
                number=number,
                storage_key=stored_key,
                size=facts.size,
                sha256=facts.sha256,
                content_type=facts.content_type,
                original_name=original_name,
                comment=comment,
                uploaded_by=uploader,
            )
            file.last_version_number = number
            file.current_version = version
            file.save(
                update_fields=["last_version_number", "current_version", "updated_at"]
            )
            activity_record(
                action=action,
                actor=uploader,
                target=version,
                details={"number": number, "size": facts.size, **(details or {})},
            )
            transaction.on_commit(
                partial(version_created.send, sender=Version, version=version),
                robust=True,
            )
    except Exception:
        if stored_key is not None and discard_on_failure:
            storage.delete_quietly(stored_key)
        raise

    logger.info("Version %s of file %s stored (%s bytes)", number, file.pk, facts.size)
    return version


def file_for_new_version(*, catalog, file, name, actor):
    """A new file called `name`, or `file` locked against concurrent versions."""
    if file is None:
        file = File.objects.create(catalog=catalog, name=name, created_by=actor)
        activity_record(
            action=Action.FILE_CREATED, actor=actor, target=file, details={"name": name}
        )
        return file

    file = File.objects.select_for_update().get(pk=file.pk)
    ensure_not_trashed(file, "adding a version")
    return file


def version_key(file, number, original_name):
    """The storage key of a version: built here, never from the client."""
    name = safe_key_name(original_name)
    return f"catalogs/{file.catalog_id}/files/{file.pk}/v{number}/{name}"


def display_name(name):
    """A name as shown and downloaded; refused when nothing printable is left."""
    cleaned = clean_display_name(name or "")
    if not cleaned:
        raise ApplicationError("The file name is empty.", code="invalid_name")
    if len(cleaned) > File._meta.get_field("name").max_length:
        raise ApplicationError(
            "The file name is too long (at most 1024 characters).",
            code="invalid_name",
        )
    return cleaned


def ensure_not_trashed(file, doing):
    if file.is_trashed:
        raise Conflict(
            f"The file is in the trash. Restore it before {doing}.",
            code="file_trashed",
        )


def file_rename(*, file: File, actor, name: str) -> File:
    """Change the display name of a file; its versions keep their names."""
    ensure_not_trashed(file, "renaming it")
    name = display_name(name)
    if name == file.name:
        return file

    with transaction.atomic():
        changes = {"name": [file.name, name]}
        file.name = name
        file.save(update_fields=["name", "updated_at"])
        activity_record(
            action=Action.FILE_RENAMED, actor=actor, target=file, changes=changes
        )
    return file


def file_trash(*, file: File, actor) -> File:
    """Move a file to the trash: hidden from lists, kept with its versions."""
    if file.is_trashed:
        raise Conflict("The file is already in the trash.", code="file_trashed")

    with transaction.atomic():
        file.trashed_at = timezone.now()
        file.trashed_by = actor
        file.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
        activity_record(action=Action.FILE_TRASHED, actor=actor, target=file)
    return file


def file_restore(*, file: File, actor) -> File:
    """Bring a file back from the trash."""
    if not file.is_trashed:
        raise Conflict("The file is not in the trash.", code="file_not_trashed")

    with transaction.atomic():
        file.trashed_at = None
        file.trashed_by = None
        file.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
        activity_record(action=Action.FILE_RESTORED, actor=actor, target=file)
    return file


def file_purge(*, file: File, actor) -> None:
    """
    Delete a file, all its versions and their stored objects for good.

    The objects are removed after the rows are gone, so a failure in
    between leaves orphans for `cleanup_orphans`, never a version without
    its bytes.
    """
    with transaction.atomic():
        keys = stored_keys_of(versions=file.versions.all())
        keys += pending_upload_keys(file.uploads.all())
        activity_record(
            action=Action.FILE_PURGED,
            actor=actor,
            target=file,
            details={"name": file.name, "versions": file.last_version_number},
        )
        file_id = file.pk
        file.delete()
        transaction.on_commit(partial(storage.delete_many, keys))
    logger.info("File %s purged with %s stored object(s)", file_id, len(keys))


def version_download(*, version: Version, actor) -> Download:
    """
    What to send for a download of `version`, recorded as a download.

    On S3, a short-lived URL that names the file in its response; on local
    storage, the opened file to stream.
    """
    if storage.is_s3():
        download = Download(
            version=version,
            url=storage.download_url(
                version.storage_key,
                filename=version.original_name,
                content_type=version.content_type,
            ),
        )
    else:
        download = Download(
            version=version, stream=storage.open_for_download(version.storage_key)
        )

    with transaction.atomic():
        activity_record(
            action=Action.VERSION_DOWNLOADED,
            actor=actor,
            target=version,
            details={"file": version.file_id, "number": version.number},
        )
    return download


# Direct uploads


def upload_start(
    *,
    catalog: Catalog,
    actor,
    filename: str,
    size: int,
    content_type: str = "",
    file: File | None = None,
    name: str = "",
    comment: str = "",
) -> DirectUpload:
    """
    Start a direct upload of `size` bytes into `catalog`.

    Returns a presigned S3 POST for the client to send the bytes with; the
    upload then becomes a new file (or a version of `file`) through
    `upload_complete`. Only S3 accepts direct uploads.
    """
    if not storage.is_s3():
        raise ApplicationError(
            "Direct uploads need S3 storage, and this server keeps files on its "
            "own disk. Upload through POST /api/v1/catalogs/{id}/files/ instead.",
            code="direct_upload_unavailable",
        )
    if file is not None:
        ensure_not_trashed(file, "adding a version")

    original_name = display_name(filename)
    upload = Upload(
        id=uuid.uuid4(),
        catalog=catalog,
        file=file,
        name=display_name(name) if name else original_name,
        original_name=original_name,
        size=size,
        content_type=content_type,
        comment=comment,
        created_by=actor,
        expires_at=timezone.now() + UPLOAD_COMPLETE_WITHIN,
    )
    upload.storage_key = (
        f"catalogs/{catalog.pk}/uploads/{upload.pk}/{safe_key_name(original_name)}"
    )
    url, fields, expires_in = storage.presigned_post(
        upload.storage_key, size=size, content_type=content_type
    )
    expires_at = timezone.now() + timedelta(seconds=expires_in)

    with transaction.atomic():
        upload.save(force_insert=True)
        activity_record(
            action=Action.UPLOAD_STARTED,
            actor=actor,
            target=upload,
            details={"catalog": catalog.pk, "file": file and file.pk, "size": size},
        )
    return DirectUpload(upload=upload, url=url, fields=fields, expires_at=expires_at)


def upload_complete(*, upload: Upload, actor) -> Version:
    """
    Turn a direct upload whose bytes are in storage into a version.

    The object must exist with the announced size; its SHA-256 is computed
    by reading it as a stream, and its type is sniffed from its first
    bytes. A new file is created unless the upload names one. The object
    stays where the client sent it: its key becomes the version's key.
    """
    ensure_upload_open(upload)
    facts = stored_upload_facts(upload)

    with transaction.atomic():
        claimed = Upload.objects.filter(pk=upload.pk, completed_at__isnull=True)
        if not claimed.update(completed_at=timezone.now()):
            raise upload_already_completed()
        version = version_add(
            catalog=upload.catalog,
            file=upload.file,
            name=upload.name,
            uploader=actor,
            original_name=upload.original_name,
            comment=upload.comment,
            facts=facts,
            store=lambda key: upload.storage_key,
            details={"upload": str(upload.pk)},
            discard_on_failure=False,
        )
        Upload.objects.filter(pk=upload.pk).update(version=version)
    return version


def ensure_upload_open(upload):
    if upload.is_completed:
        raise upload_already_completed()
    if timezone.now() > upload.expires_at:
        raise ApplicationError(
            "This upload was started too long ago to be completed. Start a new one.",
            code="upload_expired",
            status_code=410,
        )


def upload_already_completed():
    return Conflict("This upload is already complete.", code="upload_completed")


def stored_upload_facts(upload):
    """Check the object a client sent for `upload`, and describe its bytes."""
    size = storage.size_of(upload.storage_key)
    if size is None:
        raise ApplicationError(
            "Nothing has been uploaded for this upload yet. Send the file with "
            "the presigned request first, then complete the upload.",
            code="upload_missing",
        )
    if size != upload.size:
        raise upload_size_mismatch(upload, size)

    with storage.storage_errors("File storage is unavailable. Try again."):
        facts = describe_chunks(
            storage.read_chunks(upload.storage_key), name=upload.original_name
        )
    if facts.size != upload.size:
        raise upload_size_mismatch(upload, facts.size)
    return facts


def upload_size_mismatch(upload, size):
    return ApplicationError(
        f"The uploaded file has {size:,} bytes, but {upload.size:,} were "
        "announced. Send the right file with the presigned request again, or "
        "start a new upload.",
        code="upload_size_mismatch",
    )


# Orphans


def orphan_keys(*, older_than: timedelta):
    """
    Stored objects under `catalogs/` that no version refers to.

    Objects younger than `older_than` are left out, since they may belong
    to an upload still on its way to the database; so are the objects of
    direct uploads that may still be completed. Yields keys in batches.
    """
    cutoff = timezone.now() - older_than
    batch = []
    for stored in storage.stored_objects("catalogs/"):
        if stored.modified < cutoff:
            batch.append(stored.key)
        if len(batch) == 500:
            yield from unreferenced(batch)
            batch = []
    yield from unreferenced(batch)


def unreferenced(keys):
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
    return [key for key in keys if key not in referenced]


def orphans_delete(*, keys) -> None:
    """Remove stored objects that `orphan_keys` found."""
    storage.delete_many(keys)
    logger.info("Removed %s orphaned stored object(s)", len(keys))
