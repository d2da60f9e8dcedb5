"""
Errors that Django itself finds in a request are the client's: a JSON 4xx
under `/api/`, never the 500 of a bug.
"""

import pytest
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from rest_framework.test import APIClient

from config.urls import handler400, handler403, handler404  # noqa: F401
from config.urls import urlpatterns as project_urls
from tests.accounts.factories import EditorFactory
from tests.catalogs.factories import CatalogFactory

TOO_MANY_FIELDS = {
    "detail": "This request has more than 1,000 fields or parameters.",
    "code": "too_many_fields",
}
TOO_MANY_FILES = {
    "detail": "This request has more than 100 files. Send one file per request.",
    "code": "too_many_files",
}


def refuse_with(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    *project_urls,
    path("api/v1/bad-request/", refuse_with(BadRequest("odd"))),
    path("api/v1/suspicious/", refuse_with(SuspiciousOperation("odd"))),
    path("api/v1/denied/", refuse_with(PermissionDenied())),
    path("elsewhere/bad-request/", refuse_with(BadRequest("odd"))),
]


@pytest.fixture
def refusing_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def client_of_catalog(db):
    catalog = CatalogFactory(owner=EditorFactory())
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(catalog.owner)
    return client, catalog


def many_fields(count):
    return "&".join(f"field{number}=x" for number in range(count))


@pytest.mark.parametrize("debug", [False, True])
def test_a_query_string_with_too_many_parameters_is_a_400(
    client_of_catalog, settings, debug
):
    settings.DEBUG = debug
    client, _ = client_of_catalog

    response = client.get(f"/api/v1/files/?{many_fields(1001)}")

    assert response.status_code == 400
    assert response.json() == TOO_MANY_FIELDS


def test_a_form_with_too_many_fields_is_a_400(client_of_catalog):
    client, _ = client_of_catalog

    response = client.generic(
        "POST",
        "/api/v1/catalogs/",
        many_fields(1001),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert response.json() == TOO_MANY_FIELDS


def test_a_multipart_upload_with_too_many_fields_is_a_400(client_of_catalog):
    client, catalog = client_of_catalog
    fields = {f"field{number}": "x" for number in range(1001)}

    response = client.post(
        f"/api/v1/catalogs/{catalog.pk}/files/", fields, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == TOO_MANY_FIELDS


@pytest.mark.parametrize("debug", [False, True])
def test_a_multipart_upload_with_too_many_files_is_a_400(
    client_of_catalog, settings, debug
):
    settings.DEBUG = debug
    client, catalog = client_of_catalog
    files = {
        f"file{number}": SimpleUploadedFile(f"{number}.txt", b"x")
        for number in range(101)
    }

    response = client.post(
        f"/api/v1/catalogs/{catalog.pk}/files/", files, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == TOO_MANY_FILES


@pytest.mark.django_db
def test_an_anonymous_form_with_too_many_fields_is_a_400():
    client = APIClient()
    client.raise_request_exception = False

    response = client.generic(
        "POST",
        "/api/v1/auth/token/",
        many_fields(1001),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        (
            "/api/v1/bad-request/",
            400,
            {"detail": "This request is malformed.", "code": "bad_request"},
        ),
        (
            "/api/v1/suspicious/",
            400,
            {"detail": "This request is malformed.", "code": "bad_request"},
        ),
        (
            "/api/v1/denied/",
            403,
            {"detail": "You do not have permission to perform this action."},
        ),
    ],
)
def test_a_request_django_refuses_is_a_json_4xx(
    client, refusing_urls, url, status, body
):
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code == status
    assert response.json() == body


@pytest.mark.django_db
def test_outside_the_api_django_answers_with_its_page(client, refusing_urls):
    client.raise_request_exception = False

    response = client.get("/elsewhere/bad-request/")

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
