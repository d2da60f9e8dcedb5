"""Direct uploads: bytes a client sends straight to S3, then completes here."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from audit.actions import Action
from audit.services import activity_record
from catalogs import storage
from catalogs.content import describe_chunks, safe_key_name
from catalogs.models import Catalog, File, Upload, Version
from catalogs.services.files import display_name, ensure_not_trashed, version_add
from config.exceptions import ApplicationError, Conflict
from config.locking import DeletedMeanwhile, kept, locked

logger = logging.getLogger(__name__)

# The largest object S3 accepts in one POST. Bigger files would need S3
# multipart uploads, which direct uploads do not support yet.
DIRECT_UPLOAD_MAX_BYTES = 5 * 1024**3
# How long a started direct upload may wait to be completed.
UPLOAD_COMPLETE_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class DirectUpload:
    """A started direct upload and the presigned request that sends its bytes."""

    upload: Upload
    url: str
    fields: dict
    expires_at: datetime
    method: str = "POST"


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
        kept(catalog)
        if file is not None:
            kept(file)
        upload.save(force_insert=True)
        activity_record(
            action=Action.UPLOAD_STARTED,
            actor=actor,
            target=upload,
            details={"catalog": catalog.pk, "file": file and file.pk, "size": size},
        )

    logger.info(
        "Direct upload %s of %s bytes into catalog %s started by user %s",
        upload.pk,
        size,
        catalog.pk,
        actor.pk,
    )
    return DirectUpload(upload=upload, url=url, fields=fields, expires_at=expires_at)


def upload_complete(*, upload: Upload, actor) -> Version:
    """
    Turn a direct upload whose bytes are in storage into a version.

    The object must exist with the announced size; its SHA-256 is computed
    by reading it as a stream, and its type is sniffed from its first
    bytes. A new file is created unless the upload names one. The bytes
    are then copied inside S3 to the version's own key, on condition that
    the object is still the one that was read: the presigned request may
    still be valid, and must not be able to change a version.

    Reading and copying a file of several gigabytes can outlast API
    Gateway's 29 seconds; this holds until completion runs as an
    asynchronous task.
    """
    ensure_upload_open(upload)
    try:
        etag, facts = stored_upload_facts(upload)
    except ApplicationError:
        # A request completing the same upload at the same moment may have
        # finished first and removed the uploaded object already, or a
        # deletion of its file or catalog removed the upload with it.
        ensure_upload_open(upload_as_stored(upload))
        raise
    copy = partial(
        storage.copy,
        upload.storage_key,
        content_type=facts.content_type,
        if_match=etag,
    )

    try:
        with transaction.atomic():
            upload = upload_claimed(upload)
            version = version_add(
                catalog=upload.catalog,
                file=upload.file,
                name=upload.name,
                uploader=actor,
                original_name=upload.original_name,
                comment=upload.comment,
                facts=facts,
                store=copy,
                details={"upload": str(upload.pk)},
            )
            # The upload is locked already: this waits for no other request.
            Upload.objects.filter(pk=upload.pk).update(version=version)
            transaction.on_commit(partial(storage.delete_quietly, upload.storage_key))
    except storage.ObjectChanged:
        raise Conflict(
            "The uploaded file was replaced while the upload was being "
            "completed. Complete it again.",
            code="upload_changed",
        ) from None

    logger.info(
        "Direct upload %s completed by user %s as version %s of file %s",
        upload.pk,
        actor.pk,
        version.number,
        version.file_id,
    )
    return version


def upload_as_stored(upload):
    """`upload` read again; `DeletedMeanwhile` when it is gone."""
    stored = Upload.objects.filter(pk=upload.pk).first()
    if stored is None:
        raise DeletedMeanwhile(Upload)
    return stored


def upload_claimed(upload):
    """
    Mark `upload` completed, once its file (or for a new file, its catalog)
    and then the upload itself are locked; refuse when it is done or gone.
    """
    if upload.file_id is None:
        kept(upload.catalog)
    else:
        locked(upload.file)
    upload = locked(upload)
    ensure_upload_open(upload)

    upload.completed_at = timezone.now()
    upload.save(update_fields=["completed_at"])
    return upload


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
    """Check the object a client sent for `upload`; its ETag and description."""
    size = storage.size_of(upload.storage_key)
    if size is None:
        raise ApplicationError(
            "Nothing has been uploaded for this upload yet. Send the file with "
            "the presigned request first, then complete the upload.",
            code="upload_missing",
        )
    if size != upload.size:
        raise upload_size_mismatch(upload, size)

    etag, chunks = storage.read_s3_object(upload.storage_key)
    with storage.storage_errors(storage.READ_UNAVAILABLE_MESSAGE):
        facts = describe_chunks(chunks, name=upload.original_name)
    if facts.size != upload.size:
        raise upload_size_mismatch(upload, facts.size)
    return etag, facts


def upload_size_mismatch(upload, size):
    return ApplicationError(
        f"The uploaded file has {size:,} bytes, but {upload.size:,} were "
        "announced. Send the right file with the presigned request again, or "
        "start a new upload.",
        code="upload_size_mismatch",
    )
