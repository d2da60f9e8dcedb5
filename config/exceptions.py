"""
The application's error type, and how the API turns it into a response.

Services raise `ApplicationError` (or a subclass) when a domain rule refuses
an action; the API answers with its status and a `{"detail", "code"}` body.
Anything else that escapes a view is a bug and becomes a logged JSON 500.
"""

from rest_framework import status
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
    return exception_handler(exc, context)
