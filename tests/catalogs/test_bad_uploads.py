"""
Uploads and names that try to mislead: several files in one field, and
direction controls that make a name show another extension.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogs.content import clean_display_name
from catalogs.models import File, Upload
from catalogs.services import file_upload

# U+202E shows what follows right to left: this looks like "invoiceexe.pdf".
SPOOFED = "invoice\u202efdp.exe"


def two_files():
    return [
        SimpleUploadedFile("first.txt", b"first"),
        SimpleUploadedFile("second.txt", b"second"),
    ]


@pytest.mark.django_db
def test_two_files_in_one_upload_are_refused(api, catalog, writer):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/",
        {"file": two_files()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {"file": ["Send one file at a time, not 2."]}
    assert not File.objects.exists()


@pytest.mark.django_db
def test_two_files_in_one_new_version_are_refused(api, stored_file, writer):
    response = api(writer).post(
        f"/api/v1/files/{stored_file.pk}/versions/",
        {"file": two_files()},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {"file": ["Send one file at a time, not 2."]}
    stored_file.refresh_from_db()
    assert stored_file.last_version_number == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "No file was submitted."),
        ({"file": "not a file"}, "The submitted data was not a file."),
        ({"file": ""}, "The submitted data was not a file."),
    ],
)
def test_a_multipart_upload_without_a_file_is_refused(
    api, catalog, writer, body, error
):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", body, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["file"][0].startswith(error)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (SPOOFED, "invoicefdp.exe"),
        ("\u202bembedded\u202c.txt", "embedded.txt"),
        ("\u2067isolated\u2069.txt", "isolated.txt"),
        ("عقد\u200f.pdf", "عقد\u200f.pdf"),
        ("שלום.txt", "שלום.txt"),
        ("👨\u200d👩\u200d👧.txt", "👨\u200d👩\u200d👧.txt"),
    ],
)
def test_display_names_lose_direction_controls_only(name, shown):
    assert clean_display_name(name) == shown


@pytest.mark.django_db
def test_an_uploaded_name_cannot_hide_its_extension(api, catalog, writer):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/",
        {"file": SimpleUploadedFile("plain.txt", b"x"), "name": SPOOFED},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "invoicefdp.exe"


@pytest.mark.django_db
def test_an_original_name_cannot_hide_its_extension(catalog, owner):
    file = file_upload(
        catalog=catalog, uploader=owner, content=ContentFile(b"x", name=SPOOFED)
    )

    assert file.name == "invoicefdp.exe"
    assert file.current_version.original_name == "invoicefdp.exe"


@pytest.mark.django_db
def test_a_rename_cannot_hide_the_extension(api, stored_file, writer):
    response = api(writer).patch(
        f"/api/v1/files/{stored_file.pk}/", {"name": SPOOFED}, format="json"
    )

    assert response.status_code == 200, response.content
    stored_file.refresh_from_db()
    assert stored_file.name == "invoicefdp.exe"


@pytest.mark.django_db
def test_a_name_of_direction_controls_only_is_refused(api, stored_file, writer):
    response = api(writer).patch(
        f"/api/v1/files/{stored_file.pk}/", {"name": "\u202e\u2066"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "The file name is empty."


@pytest.mark.django_db
def test_a_direct_upload_name_cannot_hide_its_extension(
    s3_storage, api, catalog, writer
):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/uploads/",
        {"filename": SPOOFED, "size": 1},
        format="json",
    )

    assert response.status_code == 201, response.content
    upload = Upload.objects.get()
    assert upload.original_name == upload.name == "invoicefdp.exe"
