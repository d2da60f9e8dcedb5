"""
Bodies past `UPLOAD_MAX_BYTES` get one JSON 413, which points to direct
uploads when files are on S3.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogs.limits import MULTIPART_ALLOWANCE
from catalogs.models import File, Version
from tests.catalogs.http import upload_body

LIMIT = 1000


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT


def assert_too_large(response):
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "upload_too_large"
    assert body["max_bytes"] == LIMIT
    assert "1,000 bytes" in body["detail"]
    assert "/uploads/" not in body["detail"], "direct uploads need S3"
    assert "keeps files on its own disk" in body["detail"]


@pytest.mark.django_db
def test_a_file_at_the_limit_is_accepted(api, catalog, writer):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(b"x" * LIMIT)
    )

    assert response.status_code == 201
    assert response.json()["current_version"]["size"] == LIMIT


@pytest.mark.django_db
def test_a_body_whose_length_is_past_the_limit_is_refused_at_once(api, catalog, writer):
    data = b"x" * (LIMIT + MULTIPART_ALLOWANCE + 1)

    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(data)
    )

    assert_too_large(response)
    assert not File.objects.exists()


@pytest.mark.django_db
def test_a_file_found_past_the_limit_while_streaming_is_refused(
    api, catalog, writer, media_root
):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(b"x" * (LIMIT + 1))
    )

    assert_too_large(response)
    assert not File.objects.exists()
    assert not any(media_root.rglob("*.txt"))


@pytest.mark.django_db
def test_a_new_version_past_the_limit_is_refused(api, stored_file, writer):
    response = api(writer).post(
        f"/api/v1/files/{stored_file.pk}/versions/", upload_body(b"y" * (LIMIT + 1))
    )

    assert_too_large(response)
    assert Version.objects.count() == 1


@pytest.mark.django_db
def test_form_fields_past_the_memory_limit_get_the_same_answer(
    api, catalog, writer, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT

    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/",
        upload_body(b"small", comment="c" * (LIMIT + 1)),
    )

    assert_too_large(response)
    assert not File.objects.exists()


@pytest.mark.django_db
def test_the_limit_holds_outside_the_api_too(admin_client, stored_file):
    data = b"z" * (LIMIT + MULTIPART_ALLOWANCE + 1)

    response = admin_client.post(
        f"/admin/catalogs/file/{stored_file.pk}/change/",
        {"name": "notes.txt", "new_version": SimpleUploadedFile("big.txt", data)},
    )

    assert_too_large(response)
    assert Version.objects.count() == 1


@pytest.mark.django_db
def test_on_s3_the_answer_points_to_direct_uploads(api, catalog, writer, s3_storage):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(b"x" * (LIMIT + 1))
    )

    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "1,000 bytes" in detail
    assert "POST /api/v1/catalogs/{id}/uploads/" in detail
    assert "POST /api/v1/uploads/{id}/complete/" in detail
    assert not File.objects.exists()


@pytest.mark.django_db
def test_a_json_body_past_the_limit_is_not_called_an_upload(api, writer):
    response = api(writer).post(
        "/api/v1/conversations/",
        {"title": "t" * (LIMIT + MULTIPART_ALLOWANCE)},
        format="json",
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "This request body is larger than 1,000 bytes, the most the API "
        "takes.",
        "code": "body_too_large",
        "max_bytes": LIMIT,
    }
