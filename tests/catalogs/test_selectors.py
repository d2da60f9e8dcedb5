import pytest

from catalogs.models import Access
from catalogs.selectors import catalog_access_for, catalogs_readable_by
from tests.accounts.factories import AdminFactory, UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory


@pytest.mark.django_db
def test_readable_catalogs_are_owned_granted_or_all_for_admins(catalog, reader):
    other = CatalogFactory()
    GrantFactory(catalog=other)  # someone else's grant
    admin = AdminFactory()

    assert list(catalogs_readable_by(reader)) == [catalog]
    assert list(catalogs_readable_by(catalog.owner)) == [catalog]
    assert set(catalogs_readable_by(admin)) == {catalog, other}


@pytest.mark.django_db
def test_readable_catalogs_are_decided_when_the_queryset_runs(catalog, reader):
    readable = catalogs_readable_by(reader)
    catalog.permissions.filter(user=reader).delete()

    assert list(readable) == []


@pytest.mark.django_db
def test_an_owner_with_many_grants_sees_each_catalog_once(catalog):
    for _ in range(3):
        GrantFactory(catalog=catalog)

    assert list(catalogs_readable_by(catalog.owner)) == [catalog]


@pytest.mark.django_db
def test_inactive_and_anonymous_users_read_nothing(catalog, reader):
    from django.contrib.auth.models import AnonymousUser

    reader.is_active = False

    assert list(catalogs_readable_by(reader)) == []
    assert list(catalogs_readable_by(AnonymousUser())) == []
    assert catalog_access_for(reader, catalog) is None


@pytest.mark.django_db
def test_access_levels(catalog, reader, writer, manager):
    assert catalog_access_for(reader, catalog) == Access.READ
    assert catalog_access_for(writer, catalog) == Access.WRITE
    assert catalog_access_for(manager, catalog) == Access.MANAGE
    assert catalog_access_for(catalog.owner, catalog) == Access.MANAGE
    assert catalog_access_for(AdminFactory(), catalog) == Access.MANAGE
    assert catalog_access_for(UserFactory(), catalog) is None
