import logging

from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from catalogs import storage
from config.exceptions import bad_request_reason

logger = logging.getLogger(__name__)

# What the browsable API root links to: a name in the root, a URL name.
API_ROOT_ROUTES = {
    "health": "health",
    "schema": "schema",
    "docs": "swagger-ui",
    "register": "auth-register",
    "login": "auth-login",
    "logout": "auth-logout",
    "token": "auth-token",
    "me": "auth-me",
    "password": "auth-password",
    "users": "user-list",
    "domains": "domain-list",
    "catalogs": "catalog-list",
    "files": "file-list",
    "conversations": "conversation-list",
    "activity": "activity-list",
}


@extend_schema(
    responses=inline_serializer(
        "Health",
        {
            "status": serializers.CharField(),
            "database": serializers.CharField(),
            "storage": serializers.CharField(),
        },
    )
)
@api_view(["GET"])
@permission_classes([AllowAny])
def health(request):
    """
    Touch the database and read from the storage; 503 names the part that
    failed. Anyone may call it, so it writes nothing.
    """
    parts = {"database": check_database(), "storage": check_storage()}
    healthy = all(state == "ok" for state in parts.values())
    body = {"status": "ok" if healthy else "unavailable", **parts}
    return Response(body, status=200 if healthy else 503)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unreachable")
        return "unavailable"
    return "ok"


def check_storage():
    try:
        storage.check_readable()
    except Exception:
        logger.exception("Health check: storage unreachable")
        return "unavailable"
    return "ok"


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    """Fichero's API, version 1. Follow the links."""
    return Response(
        {
            name: reverse(route, request=request, format=format)
            for name, route in API_ROOT_ROUTES.items()
        }
    )


def is_api(request):
    return request.path_info.startswith("/api/")


def not_found(request, exception=None):
    """JSON under `/api/`, Django's own page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """A request Django refused as malformed: JSON under `/api/`."""
    if not is_api(request):
        return defaults.bad_request(request, exception)

    detail, code = bad_request_reason(exception)
    return JsonResponse({"detail": detail, "code": code}, status=400)


def permission_denied(request, exception=None):
    """A request Django refused: JSON under `/api/`."""
    if is_api(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."},
            status=403,
        )
    return defaults.permission_denied(request, exception)
