"""Every true/false query parameter reads `true` and `false`, and nothing else."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from catalogs.models import File
from catalogs.services import file_upload
from tests.accounts.factories import AdminFactory
from tests.catalogs.factories import CatalogFactory

NOT_TRUE_OR_FALSE = ["1", "0", "yes", "no", "on", "True", "FALSE", "maybe"]


@pytest.fixture
def admin(db):
    return AdminFactory()


@pytest.fixture
def client(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


@pytest.fixture
def catalog(admin):
    return CatalogFactory(owner=admin)


@pytest.fixture
def stored_file(catalog, admin):
    return file_upload(
        catalog=catalog, uploader=admin, content=ContentFile(b"x", name="x.txt")
    )


def refused(response, name, *, as_list):
    message = "Use true or false."
    assert response.status_code == 400, response.content
    assert response.json() == {name: [message] if as_list else message}


@pytest.mark.parametrize("value", NOT_TRUE_OR_FALSE)
def test_a_catalog_is_deleted_only_with_force_true_or_false(
    client, catalog, stored_file, value
):
    response = client.delete(f"/api/v1/catalogs/{catalog.pk}/?force={value}")

    refused(response, "force", as_list=False)
    assert File.objects.filter(pk=stored_file.pk).exists()


@pytest.mark.parametrize("value", NOT_TRUE_OR_FALSE)
def test_a_file_is_purged_only_with_purge_true_or_false(client, stored_file, value):
    response = client.delete(f"/api/v1/files/{stored_file.pk}/?purge={value}")

    refused(response, "purge", as_list=False)
    stored_file.refresh_from_db()
    assert not stored_file.is_trashed


@pytest.mark.parametrize("value", NOT_TRUE_OR_FALSE)
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/files/", "trashed"),
        ("/api/v1/users/", "is_active"),
        ("/api/v1/domains/", "is_active"),
    ],
)
def test_list_filters_read_only_true_or_false(client, url, name, value):
    response = client.get(f"{url}?{name}={value}")

    refused(response, name, as_list=True)


def test_true_and_false_mean_the_same_to_flags_and_filters(client, stored_file):
    kept = client.delete(f"/api/v1/files/{stored_file.pk}/?purge=false")
    trash = client.get("/api/v1/files/?trashed=true").json()["results"]
    others = client.get("/api/v1/files/?trashed=false").json()["results"]

    assert kept.status_code == 204
    assert [file["id"] for file in trash] == [stored_file.pk]
    assert others == []
