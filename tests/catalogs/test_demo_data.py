import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from catalogs.models import Catalog, CatalogPermission, File, Version


@pytest.mark.django_db
def test_demo_catalog_loads_twice_without_duplicates(any_storage):
    call_command("load_demo_data")
    call_command("load_demo_data")

    catalog = Catalog.objects.get()
    assert catalog.owner.email == "admin@example.com"
    assert set(CatalogPermission.objects.values_list("user__email", "access")) == {
        ("editor@example.com", "write"),
        ("viewer@example.com", "read"),
    }
    assert sorted(File.objects.values_list("name", flat=True)) == [
        ".env.example",
        "DEPLOY.md",
        "README.md",
    ]
    assert Version.objects.count() == 3
    readme = Version.objects.get(file__name="README.md")
    assert readme.content_type == "text/markdown"
    expected = (settings.BASE_DIR / "README.md").read_bytes()
    assert default_storage.open(readme.storage_key).read() == expected


@pytest.mark.django_db
def test_demo_viewer_reads_the_demo_catalog(api):
    from accounts.models import User

    call_command("load_demo_data")
    viewer = User.objects.get(email="viewer@example.com")

    response = api(viewer).get("/api/v1/files/")

    assert response.json()["count"] == 3
