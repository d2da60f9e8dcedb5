"""
Stored objects of catalog versions, on S3 or on the local filesystem.

Every call goes through Django's default storage, looked up at call time so
that a change of settings takes effect. S3 gets what only S3 can do: server-
side copies, presigned requests and reading an object as a stream. Any
failure to reach the storage becomes `StorageUnavailable`, a 503.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File as DjangoFile
from django.core.files.storage import default_storage
from django.utils.http import content_disposition_header

from catalogs.content import CHUNK_SIZE
from config.exceptions import StorageUnavailable

logger = logging.getLogger(__name__)

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
S3_DELETE_BATCH = 1000  # the most one DeleteObjects request takes
PROBE_PREFIX = "health/"  # where nothing is stored: the health check's listing
UNAVAILABLE_MESSAGE = "File storage is unavailable, so nothing was saved. Try again."
READ_UNAVAILABLE_MESSAGE = "File storage is unavailable. Try again."


@dataclass(frozen=True)
class StoredObject:
    key: str
    modified: datetime
    size: int


@contextmanager
def storage_errors(message=UNAVAILABLE_MESSAGE):
    """Turn any failure to reach the storage into `StorageUnavailable`."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.warning("Storage failed: %s", error_text(error))
        raise StorageUnavailable(message) from error


def error_text(error):
    """
    What went wrong, without the path or URL of the object, which names it.

    An S3 error gives its code, a filesystem error its reason, and any
    other error only its type: the text of a connection error is the URL.
    """
    if isinstance(error, ClientError):
        return f"ClientError: {error.response.get('Error', {}).get('Code')}"
    kind = type(error).__name__
    if isinstance(error, OSError) and error.strerror:
        return f"{kind}: {error.strerror}"
    return kind


def key_folder(key):
    """A storage key without the file's own name: only ids are logged."""
    return key.rpartition("/")[0]


def is_s3():
    from storages.backends.s3 import S3Storage

    return isinstance(default_storage, S3Storage)


def s3_client():
    return default_storage.connection.meta.client


def save(key, content, *, content_type):
    """Stream `content` to storage under `key` (or a free variant); the key used."""
    stored = DjangoFile(content, name=key)
    stored.content_type = content_type  # read by the S3 backend
    with storage_errors():
        return default_storage.save(key, stored)


class ObjectChanged(Exception):
    """A stored object was replaced after it was read and before it was copied."""


def copy(source_key, key, *, content_type, if_match=None):
    """
    Copy a stored object; on S3 the bytes never leave the bucket.

    With `if_match`, an ETag, the S3 copy happens only if the source still
    has it, and `ObjectChanged` says it does not.
    """
    with storage_errors():
        key = default_storage.get_available_name(key)
        if not is_s3():
            with default_storage.open(source_key, "rb") as source:
                return default_storage.save(key, source)

        extra = {"ContentType": content_type, "MetadataDirective": "REPLACE"}
        if if_match:
            extra["CopySourceIfMatch"] = if_match
        bucket = default_storage.bucket_name
        try:
            s3_client().copy(
                {"Bucket": bucket, "Key": source_key}, bucket, key, ExtraArgs=extra
            )
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 412:
                raise ObjectChanged(source_key) from error
            raise
        return key


def delete_quietly(key):
    """Remove a stored object; a failure is logged and left to cleanup."""
    try:
        default_storage.delete(key)
    except STORAGE_ERRORS as error:
        logger.warning(
            "Could not delete the stored object in %s (%s); it is now an orphan",
            key_folder(key),
            error_text(error),
        )


def delete_many(keys):
    """Remove stored objects, in batches on S3; failures are left to cleanup."""
    if not is_s3():
        for key in keys:
            delete_quietly(key)
        return

    for start in range(0, len(keys), S3_DELETE_BATCH):
        batch = keys[start : start + S3_DELETE_BATCH]
        try:
            answer = s3_client().delete_objects(
                Bucket=default_storage.bucket_name,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
        except STORAGE_ERRORS:
            answer = {"Errors": batch}
        if answer.get("Errors"):
            logger.warning(
                "Could not delete %s stored object(s); they are now orphans",
                len(answer["Errors"]),
            )


def size_of(key):
    """The size in bytes of a stored object, or None when there is none."""
    with storage_errors(READ_UNAVAILABLE_MESSAGE):
        try:
            return default_storage.size(key)
        except FileNotFoundError:
            return None


def read_s3_object(key):
    """The ETag of an S3 object, and its bytes chunk by chunk, never all at once."""
    with storage_errors(READ_UNAVAILABLE_MESSAGE):
        answer = s3_client().get_object(Bucket=default_storage.bucket_name, Key=key)
    return answer["ETag"], answer["Body"].iter_chunks(CHUNK_SIZE)


def open_for_download(key):
    """The stored object, opened for streaming to a client."""
    with storage_errors(READ_UNAVAILABLE_MESSAGE):
        return default_storage.open(key, "rb")


def download_url(key, *, filename, content_type):
    """A short-lived S3 URL that serves the object as an attachment."""
    parameters = {
        "ResponseContentDisposition": content_disposition_header(
            as_attachment=True, filename=filename
        ),
        "ResponseContentType": content_type,
    }
    with storage_errors(READ_UNAVAILABLE_MESSAGE):
        return default_storage.url(key, parameters=parameters)


def presigned_post(key, *, size, content_type):
    """
    A presigned S3 POST that accepts exactly `size` bytes under `key`.

    Returns the URL, the form fields to send with the file, and the number
    of seconds it is valid for.
    """
    expires_in = settings.AWS_QUERYSTRING_EXPIRE
    fields = {"Content-Type": content_type} if content_type else {}
    conditions = [["content-length-range", size, size]]
    conditions += [{"Content-Type": content_type}] if content_type else []
    with storage_errors(READ_UNAVAILABLE_MESSAGE):
        request = s3_client().generate_presigned_post(
            default_storage.bucket_name,
            key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_in,
        )
    return request["url"], request["fields"], expires_in


def check_readable():
    """
    Raise a storage error unless the storage answers a read; write nothing.

    On S3 that is a listing of at most one key, which fails for a bucket
    that is unreachable, missing or not ours to list; a HEAD request could
    not tell a missing bucket from a missing object.
    """
    if is_s3():
        s3_client().list_objects_v2(
            Bucket=default_storage.bucket_name, Prefix=PROBE_PREFIX, MaxKeys=1
        )
    elif default_storage.exists(""):
        default_storage.listdir("")


def stored_objects(prefix):
    """Every stored object whose key starts with `prefix`, with its age and size."""
    if is_s3():
        paginator = s3_client().get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=default_storage.bucket_name, Prefix=prefix)
        for page in pages:
            for entry in page.get("Contents", ()):
                yield StoredObject(
                    key=entry["Key"], modified=entry["LastModified"], size=entry["Size"]
                )
        return
    yield from walk_local(prefix.rstrip("/"))


def walk_local(folder):
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        key = f"{folder}/{name}"
        yield StoredObject(
            key=key,
            modified=default_storage.get_modified_time(key),
            size=default_storage.size(key),
        )
    for name in directories:
        yield from walk_local(f"{folder}/{name}")
