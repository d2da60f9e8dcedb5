"""Files and their versions: upload, restore, rename, trash, purge, download."""

import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from audit.actions import Action
from audit.services import Target, activity_record
from catalogs import storage
from catalogs.content import (
    ContentFacts,
    clean_display_name,
    describe_chunks,
    safe_key_name,
)
from catalogs.models import Catalog, File, Version
from catalogs.signals import version_created
from config.exceptions import ApplicationError, Conflict
from config.locking import kept, lock_for_delete, locked, locked_for_delete

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    """Where a version's bytes come from: a URL to redirect to, or a file."""

    version: Version
    url: str | None = None
    stream: object = None


def file_upload(
    *, catalog: Catalog, uploader, content, name: str = "", comment: str = ""
) -> File:
    """
    Create a file in `catalog` whose version 1 holds `content`.

    `content` is a Django `File` (an uploaded file, or one opened from
    disk); its name is kept as the original name, and `name`, when given,
    becomes the file's display name instead.
    """
    version = content_add(
        catalog=catalog,
        file=None,
        uploader=uploader,
        content=content,
        name=name,
        comment=comment,
    )
    return version.file


def version_upload(*, file: File, uploader, content, comment: str = "") -> Version:
    """Add a version holding `content` to `file`; it becomes the current one."""
    return content_add(
        catalog=file.catalog,
        file=file,
        uploader=uploader,
        content=content,
        comment=comment,
    )


def content_add(*, catalog, file, uploader, content, comment, name=""):
    """
    Describe `content` and store it as the next version of `file`.

    With `file` None, it becomes version 1 of a new file called `name`, or
    by the name of `content` when `name` is empty.
    """
    original_name = display_name(content.name)
    name = display_name(name) if name else original_name
    facts = describe_chunks(content.chunks(), name=original_name)
    return version_add(
        catalog=catalog,
        file=file,
        name=name,
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

    With `file` None, a file called `name` is created first, and the
    upload is recorded once, as `file.uploaded`; otherwise as `action`.
    `store(key)` puts the bytes in storage under a key built here and
    returns the key it used. The file row stays locked from numbering to
    commit, so concurrent uploads get consecutive numbers. When the
    database fails after `store` ran, the stored object is removed again,
    unless `discard_on_failure` is off because the object was there before.
    """
    new_file = file is None
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
                action=Action.FILE_UPLOADED if new_file else action,
                actor=uploader,
                target=file if new_file else version,
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
        kept(catalog)
        return File.objects.create(catalog=catalog, name=name, created_by=actor)

    file = locked(file)
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
    name = display_name(name)
    with transaction.atomic():
        file = locked(file)
        ensure_not_trashed(file, "renaming it")
        if name == file.name:
            return file

        changes = {"name": [file.name, name]}
        file.name = name
        file.save(update_fields=["name", "updated_at"])
        activity_record(
            action=Action.FILE_RENAMED, actor=actor, target=file, changes=changes
        )

    logger.info("File %s renamed by user %s", file.pk, actor.pk)
    return file


def file_trash(*, file: File, actor) -> File:
    """Move a file to the trash: hidden from lists, kept with its versions."""
    with transaction.atomic():
        file = locked(file)
        if file.is_trashed:
            raise Conflict("The file is already in the trash.", code="file_trashed")

        file.trashed_at = timezone.now()
        file.trashed_by = actor
        file.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
        activity_record(action=Action.FILE_TRASHED, actor=actor, target=file)

    logger.info("File %s moved to the trash by user %s", file.pk, actor.pk)
    return file


def file_restore(*, file: File, actor) -> File:
    """Bring a file back from the trash."""
    with transaction.atomic():
        file = locked(file)
        if not file.is_trashed:
            raise Conflict("The file is not in the trash.", code="file_not_trashed")

        file.trashed_at = None
        file.trashed_by = None
        file.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
        activity_record(action=Action.FILE_RESTORED, actor=actor, target=file)

    logger.info("File %s restored from the trash by user %s", file.pk, actor.pk)
    return file


def file_purge(*, file: File, actor) -> None:
    """
    Delete a file, all its versions and their stored objects for good.

    The objects are removed after the rows are gone, so a failure in
    between leaves orphans for `cleanup_orphans`, never a version without
    its bytes.
    """
    with transaction.atomic():
        file = locked_for_delete(file)
        lock_for_delete(file.versions.all())
        keys = stored_keys_of(versions=file.versions.all())
        keys += pending_upload_keys(file.uploads.all())
        target = Target.of(file)
        file.delete()
        activity_record(
            action=Action.FILE_PURGED,
            actor=actor,
            target=target,
            details={"name": file.name, "versions": file.last_version_number},
        )
        transaction.on_commit(partial(storage.delete_many, keys))
    logger.info("File %s purged with %s stored object(s)", target.id, len(keys))


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
            action=Action.FILE_DOWNLOADED,
            actor=actor,
            target=version,
            details={"file": version.file_id, "number": version.number},
        )

    logger.info(
        "Version %s of file %s downloaded by user %s (%s)",
        version.number,
        version.file_id,
        actor.pk,
        "redirected to storage" if download.url else "streamed",
    )
    return download


def stored_keys_of(*, versions):
    return list(versions.values_list("storage_key", flat=True))


def pending_upload_keys(uploads):
    return list(
        uploads.filter(completed_at__isnull=True).values_list("storage_key", flat=True)
    )
