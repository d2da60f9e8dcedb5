import ipaddress
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import request_finished
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import is_valid_path

from config.locking import CONFLICT_RETRY
from config.request_context import RequestContext, current_request
from config.views import is_api, not_found

logger = logging.getLogger(__name__)

VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The class of SQLSTATE codes of deadlocks and serialization failures.
TRANSACTION_ROLLBACK = "40"

# What Django itself answers with a 4xx (through the handlers in config.urls),
# such as a request with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS.
CLIENT_ERRORS = (
    BadRequest,
    Http404,
    MultiPartParserError,
    PermissionDenied,
    SuspiciousOperation,
)


class RequestIdMiddleware:
    """
    Give every request an id, echoed in `X-Request-ID` and in every log line.

    A well-formed incoming id is kept so that a request can be followed from
    the client or API Gateway through to the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = incoming_request_id(request) or uuid.uuid4().hex
        current_request.set(
            RequestContext(
                request_id=request.id,
                client_ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:512],
            )
        )
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


@receiver(request_finished)
def forget_request_context(**kwargs):
    # Not reset in the middleware: Django logs the response after it returns.
    current_request.set(None)


def incoming_request_id(request):
    value = request.headers.get("X-Request-ID", "")
    return value if VALID_REQUEST_ID.match(value) else None


def client_ip(request):
    """
    The address of the client, as far as trusted proxies let us see it.

    `REMOTE_ADDR` is API Gateway's source IP on Lambda (`config.lambda_wsgi`
    sees to it). `X-Forwarded-For` is read from the right, and only past as
    many hops as `TRUSTED_PROXY_COUNT` says are ours; anything further left
    could be written by the client.
    """
    address = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            address = chain[-hops]
    return address if is_ip_address(address) else None


def is_ip_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class ApiExceptionMiddleware:
    """
    Answer an unknown path or an unhandled error under `/api/` with JSON,
    never an HTML page.

    A client's error is left to Django, whose handlers answer it with a 4xx.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # With DEBUG on, Django answers a path that matches no URL with its
        # HTML debug page, whatever handler404 says.
        if is_api(request) and not is_valid_path(request.path_info):
            return not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        if isinstance(exception, CLIENT_ERRORS):
            return None
        if is_conflict(exception):
            return conflict(request, exception)
        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        logger.error(
            "Unhandled error on %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        response = JsonResponse(
            {
                "detail": "Something went wrong on our side. "
                "Quote the request id if you report it.",
                "request_id": getattr(request, "id", ""),
            },
            status=500,
        )
        response._has_been_logged = True  # the traceback above says it all
        return response


def is_conflict(exception):
    """
    Whether PostgreSQL rolled the transaction back to break a deadlock, or
    because it could not be serialized with another one.
    """
    if not isinstance(exception, OperationalError):
        return False
    code = getattr(exception.__cause__, "pgcode", None) or ""
    return code.startswith(TRANSACTION_ROLLBACK)


def conflict(request, exception):
    logger.warning(
        "Conflict on %s %s: %s",
        request.method,
        request.path,
        type(exception.__cause__).__name__,
    )
    return JsonResponse(
        {
            "detail": CONFLICT_RETRY,
            "code": "conflict_retry",
            "request_id": getattr(request, "id", ""),
        },
        status=409,
    )


def is_database_unavailable(exception):
    """Whether the database could not be reached, or lost the connection."""
    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable(request, exception):
    logger.warning(
        "Database unavailable on %s %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
    )
    return JsonResponse(
        {
            "detail": "The database is unavailable right now. Try again in a moment.",
            "code": "database_unavailable",
            "request_id": getattr(request, "id", ""),
        },
        status=503,
    )
