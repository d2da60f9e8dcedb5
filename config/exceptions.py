"""
The application's error type, and how the API turns it into a response.

Services raise `ApplicationError` (or a subclass) when a domain rule refuses
an action; the API answers with its status and a `{"detail", "code"}` body.
A throttled request gets a 429 that says how long to wait, in words and in
seconds in `Retry-After`. Anything else that escapes a view is a bug and
becomes a logged JSON 500.
"""

import math

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail, *, code=None, status_code=None):
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        if status_code is not None:
            self.status_code = status_code


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class StorageUnavailable(ApplicationError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "storage_unavailable"


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(
            {"detail": exc.detail, "code": exc.code}, status=exc.status_code
        )
    if isinstance(exc, Throttled) and exc.wait:
        return Response(
            {
                "detail": f"Too many requests. Try again in {in_words(exc.wait)}.",
                "code": "throttled",
            },
            status=exc.status_code,
            headers={"Retry-After": str(exc.wait)},
        )
    # Django finds these as a view first reads the request; answered here,
    # they never reach DRF's debug page, which fails on them.
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        detail, code = bad_request_reason(exc)
        return Response({"detail": detail, "code": code}, status=400)
    return exception_handler(exc, context)


def in_words(seconds):
    """A wait such as 40 seconds, 3 minutes or 2 hours, rounded up."""
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 2 * 3600:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def bad_request_reason(exception):
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return (
            f"This request has more than {limit:,} fields or parameters.",
            "too_many_fields",
        )
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return (
            f"This request has more than {limit:,} files. Send one file per request.",
            "too_many_files",
        )
    return "This request is malformed.", "bad_request"
