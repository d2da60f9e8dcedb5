import pytest

from accounts.models import Role
from audit.models import ActivityLog
from catalogs.models import CatalogPermission
from tests.accounts.factories import DomainFactory, UserFactory


def grants_url(catalog, grant=None):
    base = f"/api/v1/catalogs/{catalog.pk}/permissions/"
    return f"{base}{grant.pk}/" if grant else base


@pytest.mark.django_db
def test_manager_lists_grants(api, catalog, reader, writer, manager):
    response = api(manager).get(grants_url(catalog))

    assert response.status_code == 200
    assert [(g["user"]["id"], g["access"]) for g in response.json()["results"]] == [
        (reader.pk, "read"),
        (writer.pk, "write"),
        (manager.pk, "manage"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("access", ["read", "write", "manage"])
def test_grant_each_level_to_a_user_of_another_allowed_domain(
    api, catalog, owner, access
):
    user = UserFactory(email="someone@partner.example", role=Role.VIEWER)

    response = api(owner).post(
        grants_url(catalog), {"email": "Someone@Partner.example", "access": access}
    )

    assert response.status_code == 201, response.content
    assert response.json()["user"]["id"] == user.pk
    assert response.json()["granted_by"]["id"] == owner.pk
    assert catalog.permissions.get(user=user).access == access
    assert api(user).get(f"/api/v1/catalogs/{catalog.pk}/").json()["access"] == access
    entry = ActivityLog.objects.get(action="permission.granted")
    assert entry.details == {"user": user.pk, "access": access}


@pytest.mark.django_db
def test_change_and_revoke_a_grant(api, catalog, owner, reader):
    grant = catalog.permissions.get(user=reader)

    changed = api(owner).patch(grants_url(catalog, grant), {"access": "write"})
    revoked = api(owner).delete(grants_url(catalog, grant))

    assert changed.status_code == 200
    assert changed.json()["access"] == "write"
    assert revoked.status_code == 204
    assert not CatalogPermission.objects.filter(pk=grant.pk).exists()
    assert list(
        ActivityLog.objects.filter(
            action__regex=r"^(catalog|permission)\."
        ).values_list("action", "changes")
    ) == [
        ("permission.changed", {"access": ["read", "write"]}),
        ("permission.revoked", {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": "nobody@example.org", "access": "read"}, "email", "no user"),
        ({"email": "not an address", "access": "read"}, "email", "valid email"),
        ({"email": "x@example.org", "access": "own"}, "access", "not a valid choice"),
    ],
)
def test_bad_grants_are_a_400_naming_the_field(
    api, catalog, owner, body, field, message
):
    UserFactory(email="x@example.org")

    response = api(owner).post(grants_url(catalog), body)

    assert response.status_code == 400
    assert message in response.json()[field][0].lower()


@pytest.mark.django_db
def test_granting_twice_is_a_conflict(api, catalog, owner, reader):
    response = api(owner).post(
        grants_url(catalog), {"email": reader.email, "access": "write"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "already_granted"
    assert catalog.permissions.get(user=reader).access == "read"


@pytest.mark.django_db
def test_owner_cannot_be_granted(api, catalog, owner, manager):
    response = api(manager).post(
        grants_url(catalog), {"email": owner.email, "access": "read"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "owner_has_access"


@pytest.mark.django_db
def test_users_of_a_deactivated_domain_cannot_be_granted(api, catalog, owner):
    DomainFactory(name="closed.example", is_active=False)
    user = UserFactory(email="late@closed.example")

    response = api(owner).post(
        grants_url(catalog), {"email": user.email, "access": "read"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "user_inactive"


@pytest.mark.django_db
def test_a_grant_of_another_catalog_is_not_found(api, catalog, owner):
    from tests.catalogs.factories import GrantFactory

    elsewhere = GrantFactory()

    response = api(owner).delete(grants_url(catalog, elsewhere))

    assert response.status_code == 404
    assert CatalogPermission.objects.filter(pk=elsewhere.pk).exists()
