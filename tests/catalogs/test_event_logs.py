"""
Each change to a catalog, a grant or a file, and each download, logs one
line naming who did it and to what by id, never the names of files.
"""

import logging

import pytest

from catalogs.models import Access, Upload
from tests.catalogs.factories import GrantFactory
from tests.catalogs.http import send_direct, upload_body

SECRET_NAME = "merger-plans-7c1d.txt"


@pytest.fixture
def events(caplog):
    """The info lines the catalogs services log, as they would be written."""

    def lines():
        return [
            record.getMessage()
            for record in caplog.records
            if record.name.startswith("catalogs.services")
            and record.levelno == logging.INFO
        ]

    caplog.set_level(logging.INFO, logger="catalogs.services")
    return lines


@pytest.fixture
def secret_file(api, catalog, owner):
    response = api(owner).post(
        f"/api/v1/catalogs/{catalog.pk}/files/",
        upload_body(b"figures", SECRET_NAME),
    )
    assert response.status_code == 201, response.content
    return response.json()


def only_line(events, since):
    new = events()[since:]
    assert len(new) == 1, new
    assert "merger-plans" not in new[0]
    return new[0]


@pytest.mark.django_db
def test_a_catalog_change_is_logged(api, catalog, owner, events):
    since = len(events())

    api(owner).patch(f"/api/v1/catalogs/{catalog.pk}/", {"name": "Secret deals"})

    assert only_line(events, since) == (
        f"Catalog {catalog.pk} changed by user {owner.pk}: ['name']"
    )


@pytest.mark.django_db
def test_granting_changing_and_revoking_access_are_logged(
    api, catalog, owner, stranger, events
):
    since = len(events())
    grant = api(owner).post(
        f"/api/v1/catalogs/{catalog.pk}/permissions/",
        {"email": stranger.email, "access": "read"},
    )
    granted = only_line(events, since)
    url = f"/api/v1/catalogs/{catalog.pk}/permissions/{grant.json()['id']}/"

    since = len(events())
    api(owner).patch(url, {"access": "write"})
    changed = only_line(events, since)
    since = len(events())
    api(owner).delete(url)
    revoked = only_line(events, since)

    assert granted == (
        f"User {stranger.pk} given read access to catalog {catalog.pk} "
        f"by user {owner.pk}"
    )
    assert changed == (
        f"Access of user {stranger.pk} to catalog {catalog.pk} changed to write "
        f"by user {owner.pk}"
    )
    assert revoked == (
        f"Access of user {stranger.pk} to catalog {catalog.pk} revoked "
        f"by user {owner.pk}"
    )


@pytest.mark.django_db
def test_renaming_trashing_and_restoring_a_file_are_logged(
    api, catalog, writer, secret_file, events
):
    url = f"/api/v1/files/{secret_file['id']}/"

    since = len(events())
    api(writer).patch(url, {"name": "other-secret-name.txt"})
    renamed = only_line(events, since)
    since = len(events())
    api(writer).delete(url)
    trashed = only_line(events, since)
    since = len(events())
    api(writer).post(f"{url}restore/")
    restored = only_line(events, since)

    file_id = secret_file["id"]
    assert renamed == f"File {file_id} renamed by user {writer.pk}"
    assert "other-secret-name" not in renamed
    assert trashed == f"File {file_id} moved to the trash by user {writer.pk}"
    assert restored == f"File {file_id} restored from the trash by user {writer.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("storage", "outcome"), [("local", "streamed"), ("s3", "redirected to storage")]
)
def test_a_download_is_logged_with_how_it_was_sent(
    request, api, reader, catalog, owner, events, storage, outcome
):
    if storage == "s3":
        request.getfixturevalue("s3_storage")
    file = request.getfixturevalue("secret_file")
    since = len(events())

    api(reader).get(f"/api/v1/files/{file['id']}/download/")

    assert only_line(events, since) == (
        f"Version 1 of file {file['id']} downloaded by user {reader.pk} ({outcome})"
    )


@pytest.mark.django_db
def test_starting_and_completing_a_direct_upload_are_logged(
    s3_storage, api, catalog, writer, events
):
    since = len(events())
    started = (
        api(writer)
        .post(
            f"/api/v1/catalogs/{catalog.pk}/uploads/",
            {"filename": SECRET_NAME, "size": 7},
            format="json",
        )
        .json()
    )
    start_line = only_line(events, since)
    send_direct(started, b"figures")

    since = len(events())
    api(writer).post(f"/api/v1/uploads/{started['id']}/complete/")

    upload = Upload.objects.get()
    assert start_line == (
        f"Direct upload {upload.pk} of 7 bytes into catalog {catalog.pk} "
        f"started by user {writer.pk}"
    )
    stored, completed = events()[since:]
    assert stored.startswith("Version 1 of file")
    assert completed == (
        f"Direct upload {upload.pk} completed by user {writer.pk} "
        f"as version 1 of file {upload.version.file_id}"
    )


@pytest.mark.django_db
def test_a_refused_change_logs_nothing(api, catalog, events):
    viewer = GrantFactory(catalog=catalog, access=Access.READ).user
    since = len(events())

    response = api(viewer).patch(f"/api/v1/catalogs/{catalog.pk}/", {"name": "x"})

    assert response.status_code == 403
    assert events()[since:] == []
