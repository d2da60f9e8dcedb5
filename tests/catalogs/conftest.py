import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from catalogs.models import Access
from catalogs.services import file_upload
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory


@pytest.fixture(params=["local", "s3"])
def any_storage(request):
    """Run the test once on the local filesystem and once on S3 (moto)."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


@pytest.fixture
def catalog(db):
    return CatalogFactory(owner__role=Role.EDITOR)


@pytest.fixture
def owner(catalog):
    return catalog.owner


@pytest.fixture
def reader(catalog):
    return GrantFactory(catalog=catalog, access=Access.READ).user


@pytest.fixture
def writer(catalog):
    return GrantFactory(catalog=catalog, access=Access.WRITE).user


@pytest.fixture
def manager(catalog):
    return GrantFactory(catalog=catalog, access=Access.MANAGE).user


@pytest.fixture
def stranger(db):
    return UserFactory(role=Role.EDITOR)


@pytest.fixture
def stored_file(catalog, owner):
    """A file of `catalog` with one version holding `b"first version\\n"`."""
    return file_upload(
        catalog=catalog,
        uploader=owner,
        content=ContentFile(b"first version\n", name="notes.txt"),
    )
