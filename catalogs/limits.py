"""
The size limit on request bodies, and the one answer to a body past it.

AWS Lambda refuses request bodies above 6 MB, so uploads through the API
stop at `UPLOAD_MAX_BYTES` and bigger files go straight to S3. A body over
the limit is refused as early as its declared length shows it; a file whose
length was not declared is stopped by the upload handler as it streams in.
Either way the client gets the same JSON 413, which points to direct uploads
when the files are on S3.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse

from catalogs import storage

logger = logging.getLogger(__name__)

# Room for multipart boundaries, headers and small fields beside the file.
MULTIPART_ALLOWANCE = 64 * 1024
# Bodies that carry data, not a file: too large, they are not an upload.
DATA_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


def too_large_message():
    limit = (
        f"This upload is larger than {settings.UPLOAD_MAX_BYTES:,} bytes, the limit "
        "for uploads through the API."
    )
    if not storage.is_s3():
        return (
            f"{limit} This server keeps files on its own disk, where no file can "
            "be bigger."
        )
    return (
        f"{limit} Send bigger files straight to storage: start with "
        "POST /api/v1/catalogs/{id}/uploads/ and finish with "
        "POST /api/v1/uploads/{id}/complete/."
    )


def too_large_response(request):
    if request.content_type in DATA_CONTENT_TYPES:
        detail = (
            f"This request body is larger than {settings.UPLOAD_MAX_BYTES:,} "
            "bytes, the most the API takes."
        )
        code = "body_too_large"
    else:
        detail, code = too_large_message(), "upload_too_large"
    return JsonResponse(
        {"detail": detail, "code": code, "max_bytes": settings.UPLOAD_MAX_BYTES},
        status=413,
    )


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadSizeLimitMiddleware:
    """
    Answer a request body over the upload limit with a JSON 413.

    Listed after `ApiExceptionMiddleware` in `MIDDLEWARE`, so that its
    `process_exception` is asked first about a body found too big while a
    view reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE
        if declared_length(request) > limit:
            logger.info("Refused a %s byte request body", declared_length(request))
            return too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            logger.info("Refused a request body past the upload limit")
            return too_large_response(request)
        return None


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop any uploaded file at `UPLOAD_MAX_BYTES` while it streams in."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            raise RequestDataTooBig(too_large_message())
        return raw_data

    def file_complete(self, file_size):
        return None
