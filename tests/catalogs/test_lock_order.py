"""
Requests that meet on the same rows, forced into the orders in which they
once deadlocked or failed (see `tests.concurrency.in_turn`): each one
either lands or gets a clear 4xx, and the activity log stays whole.
"""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from catalogs.models import Catalog, CatalogPermission, File, Upload
from catalogs.services import file_upload
from tests.audit.helpers import verify
from tests.catalogs.http import send_direct, upload_body
from tests.concurrency import in_turn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def log_stays_whole():
    yield
    verify()


def statuses(responses):
    return [response.status_code for response in responses]


def deleted_meanwhile(response, what):
    return response.status_code == 404 and response.json() == {
        "detail": f"This {what} was deleted meanwhile.",
        "code": "not_found",
    }


def rename_catalog(catalog):
    path = f"/api/v1/catalogs/{catalog.pk}/"
    return lambda client: client.patch(path, {"name": "Renamed"}, format="json")


def delete_catalog(catalog):
    path = f"/api/v1/catalogs/{catalog.pk}/?force=true"
    return lambda client: client.delete(path)


def upload_file(catalog):
    path = f"/api/v1/catalogs/{catalog.pk}/files/"
    return lambda client: client.post(path, upload_body(b"new file\n", "new.txt"))


def grant(catalog, user):
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/"
    body = {"email": user.email, "access": "read"}
    return lambda client: client.post(path, body, format="json")


def purge(file):
    return lambda client: client.delete(f"/api/v1/files/{file.pk}/?purge=true")


def test_renaming_a_catalog_while_a_file_is_uploaded_into_it(catalog, owner, writer):
    responses = in_turn(
        (writer, upload_file(catalog)),
        (owner, rename_catalog(catalog)),
    )

    assert statuses(responses) == [201, 200]
    assert Catalog.objects.get().name == "Renamed"
    assert File.objects.filter(catalog=catalog).count() == 1


def test_renaming_a_catalog_while_access_is_granted(catalog, owner, stranger):
    responses = in_turn(
        (owner, grant(catalog, stranger)),
        (owner, rename_catalog(catalog)),
    )

    assert statuses(responses) == [201, 200]
    assert CatalogPermission.objects.filter(user=stranger).exists()


def test_uploading_into_a_catalog_being_deleted_is_refused(catalog, owner, writer):
    responses = in_turn(
        (owner, delete_catalog(catalog)),
        (writer, upload_file(catalog)),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "catalog")
    assert not Catalog.objects.exists()
    assert not File.objects.exists()


def test_granting_on_a_catalog_being_deleted_is_refused(catalog, owner, stranger):
    responses = in_turn(
        (owner, delete_catalog(catalog)),
        (owner, grant(catalog, stranger)),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "catalog")
    assert not CatalogPermission.objects.exists()


def test_starting_a_direct_upload_into_a_catalog_being_deleted_is_refused(
    s3_storage, catalog, owner, writer
):
    path = f"/api/v1/catalogs/{catalog.pk}/uploads/"
    body = {"filename": "report.pdf", "size": 100}

    responses = in_turn(
        (owner, delete_catalog(catalog)),
        (writer, lambda client: client.post(path, body, format="json")),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "catalog")
    assert not Upload.objects.exists()


def test_renaming_a_file_of_a_catalog_being_deleted_is_refused(
    stored_file, owner, writer
):
    path = f"/api/v1/files/{stored_file.pk}/"

    responses = in_turn(
        (owner, delete_catalog(stored_file.catalog)),
        (writer, lambda client: client.patch(path, {"name": "x.txt"}, format="json")),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "file")
    assert not File.objects.exists()


def test_adding_a_version_to_a_file_being_purged_is_refused(stored_file, owner, writer):
    path = f"/api/v1/files/{stored_file.pk}/versions/"

    responses = in_turn(
        (owner, purge(stored_file)),
        (writer, lambda client: client.post(path, upload_body(b"second\n"))),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "file")
    assert not File.objects.exists()


def test_restoring_a_version_of_a_file_being_purged_is_refused(
    stored_file, owner, writer
):
    path = f"/api/v1/files/{stored_file.pk}/versions/1/restore/"

    responses = in_turn(
        (owner, purge(stored_file)),
        (writer, lambda client: client.post(path, {}, format="json")),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "file")


def test_completing_a_direct_upload_to_a_file_being_purged_is_refused(
    s3_storage, catalog, owner, writer
):
    file = file_upload(
        catalog=catalog, uploader=owner, content=ContentFile(b"v1\n", name="a.txt")
    )
    client = APIClient()
    client.force_authenticate(writer)
    data = b"second version\n"
    started = client.post(
        f"/api/v1/catalogs/{catalog.pk}/uploads/",
        {"filename": "a.txt", "size": len(data), "file": file.pk},
        format="json",
    ).json()
    send_direct(started, data)

    responses = in_turn(
        (owner, purge(file)),
        (writer, lambda client: client.post(started["complete_url"])),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "file")
    assert not Upload.objects.exists()
