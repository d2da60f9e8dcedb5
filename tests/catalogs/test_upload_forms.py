"""The upload endpoints as Swagger UI and the browsable API present them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

UPLOAD_ROUTES = [
    "/api/v1/catalogs/{catalog_pk}/files/",
    "/api/v1/files/{file_pk}/versions/",
]


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()


@pytest.mark.django_db
@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_schema_describes_uploads_as_multipart_with_a_binary_file(schema, route):
    body = schema["paths"][route]["post"]["requestBody"]

    assert list(body["content"]) == ["multipart/form-data"]
    reference = body["content"]["multipart/form-data"]["schema"]["$ref"]
    upload = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert upload["properties"]["file"] == {
        **upload["properties"]["file"],
        "type": "string",
        "format": "binary",
    }
    assert "file" in upload["required"]


@pytest.mark.django_db
def test_schema_still_takes_json_to_restore_a_version(schema):
    route = "/api/v1/files/{file_pk}/versions/{number}/restore/"

    content = schema["paths"][route]["post"]["requestBody"]["content"]

    assert "application/json" in content


def page(client, user, url):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_browsable_api_offers_a_file_upload_form(client, catalog, writer):
    html = page(client, writer, f"/api/v1/catalogs/{catalog.pk}/files/")

    assert 'type="file"' in html
    assert 'name="file"' in html
    assert 'name="name"' in html
    assert 'name="comment"' in html


@pytest.mark.django_db
def test_browsable_api_offers_a_version_upload_form(client, stored_file, writer):
    html = page(client, writer, f"/api/v1/files/{stored_file.pk}/versions/")

    assert 'type="file"' in html
    assert 'name="file"' in html
    assert 'name="comment"' in html


@pytest.mark.django_db
def test_browsable_api_offers_no_upload_form_to_readers(client, stored_file, reader):
    files = page(client, reader, f"/api/v1/catalogs/{stored_file.catalog_id}/files/")
    versions = page(client, reader, f"/api/v1/files/{stored_file.pk}/versions/")

    assert 'type="file"' not in files
    assert 'type="file"' not in versions


@pytest.mark.django_db
def test_an_upload_sent_from_the_browsable_api_form_is_stored(client, catalog, writer):
    client.force_login(writer)

    response = client.post(
        f"/api/v1/catalogs/{catalog.pk}/files/",
        {
            "file": SimpleUploadedFile("minutes.txt", b"Minutes.\n"),
            "name": "Minutes",
            "comment": "From the form",
        },
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 201
    file = catalog.files.get()
    assert (file.name, file.current_version.comment) == ("Minutes", "From the form")


@pytest.mark.django_db
def test_browsable_api_offers_a_grant_form_with_the_email_to_managers(
    client, catalog, manager
):
    html = page(client, manager, f"/api/v1/catalogs/{catalog.pk}/permissions/")

    assert 'name="email"' in html
    assert 'name="access"' in html


@pytest.mark.django_db
def test_a_grant_sent_from_the_browsable_api_form_is_made(
    client, catalog, manager, stranger
):
    client.force_login(manager)

    response = client.post(
        f"/api/v1/catalogs/{catalog.pk}/permissions/",
        {"email": stranger.email, "access": "read"},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 201
    assert catalog.permissions.get(user=stranger).access == "read"
