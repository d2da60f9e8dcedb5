import factory
import pytest

from accounts.models import Domain, Role
from audit.actions import Action
from tests.accounts.factories import AdminFactory, DomainFactory, UserFactory
from tests.accounts.helpers import entries, session_client, token_client

DOMAINS = "/api/v1/domains/"


def detail(domain):
    return f"{DOMAINS}{domain.pk}/"


def test_admin_lists_domains_with_their_user_counts(as_admin, viewer, editor):
    DomainFactory(name="empty.org")

    response = as_admin.get(DOMAINS)

    assert response.status_code == 200
    assert [(d["name"], d["user_count"]) for d in response.json()["results"]] == [
        ("empty.org", 0),
        ("example.org", 3),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=EMPTY", ["empty.org"]),
        ("is_active=false", ["closed.org"]),
        ("default_role=editor", ["empty.org"]),
        ("ordering=-user_count", ["closed.org", "example.org", "empty.org"]),
    ],
)
def test_admin_searches_filters_and_orders_domains(as_admin, query, expected):
    DomainFactory(name="empty.org", default_role=Role.EDITOR)
    closed = DomainFactory(name="closed.org", is_active=False)
    UserFactory.create_batch(2, email=factory.Sequence("c{}@closed.org".format))
    assert closed.users.count() == 2

    response = as_admin.get(f"{DOMAINS}?{query}")

    assert [d["name"] for d in response.json()["results"]] == expected


@pytest.mark.parametrize(
    "query", ["is_active=maybe", "default_role=admin", "ordering=secret"]
)
def test_a_bad_domain_filter_is_a_400(as_admin, query):
    response = as_admin.get(f"{DOMAINS}?{query}")

    assert response.status_code == 400


def test_admin_allows_a_domain(as_admin, admin):
    response = as_admin.post(
        DOMAINS, {"name": " Partner.ORG ", "default_role": "editor"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "partner.org"
    assert response.json()["user_count"] == 0
    assert response.json()["is_active"] is True
    domain = Domain.objects.get(name="partner.org")
    [entry] = entries(Action.DOMAIN_CREATED)
    assert (entry.actor, entry.target_id) == (admin, str(domain.pk))


def test_a_domain_allowed_already_in_another_case_is_refused(as_admin, domain):
    response = as_admin.post(DOMAINS, {"name": "EXAMPLE.org"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "domain_exists"
    assert Domain.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "not a domain"}, "name"),
        ({"name": "localhost"}, "name"),
        ({"name": "exämple.org"}, "name"),
        ({"name": "x.org", "default_role": "admin"}, "default_role"),
        ({"name": "x.org", "is_active": "perhaps"}, "is_active"),
        ({"name": ["x.org"]}, "name"),
    ],
)
def test_bad_domains_are_field_errors(as_admin, db, body, field):
    response = as_admin.post(DOMAINS, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert list(Domain.objects.values_list("name", flat=True)) == ["example.org"]


def test_admin_changes_the_default_role(as_admin, domain):
    response = as_admin.patch(detail(domain), {"default_role": "editor"}, format="json")

    assert response.status_code == 200
    assert response.json()["default_role"] == "editor"
    [entry] = entries(Action.DOMAIN_UPDATED)
    assert entry.changes == {"default_role": ["viewer", "editor"]}


def test_the_name_of_a_domain_cannot_change(as_admin, domain):
    same = as_admin.patch(detail(domain), {"name": "Example.org"}, format="json")
    other = as_admin.patch(detail(domain), {"name": "example.net"}, format="json")

    assert same.status_code == 200
    assert other.status_code == 400
    assert "cannot change" in other.json()["name"][0]
    domain.refresh_from_db()
    assert domain.name == "example.org"


@pytest.fixture
def operator(db):
    """An admin whose address is of another domain than the users'."""
    return AdminFactory(email="root@ops.org", domain=DomainFactory(name="ops.org"))


@pytest.fixture
def as_operator(api, operator):
    return api(operator)


def test_deactivating_a_domain_cuts_off_its_users(as_operator, operator, viewer):
    outsider = UserFactory(email="o@other.org", domain=DomainFactory(name="other.org"))
    browser = session_client(viewer)
    script, _ = token_client(viewer)
    outsider_script, _ = token_client(outsider)

    response = as_operator.patch(
        detail(viewer.domain), {"is_active": False}, format="json"
    )

    assert response.status_code == 200
    assert browser.get("/api/v1/auth/me/").status_code == 401
    assert script.get("/api/v1/auth/me/").status_code == 401
    assert outsider_script.get("/api/v1/auth/me/").status_code == 200
    [entry] = entries(Action.DOMAIN_DEACTIVATED)
    assert entry.actor == operator


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_an_admin_cannot_lock_out_their_own_domain(as_admin, admin, method):
    response = getattr(as_admin, method)(
        detail(admin.domain), {"is_active": False}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "own_domain"
    assert Domain.objects.get(pk=admin.domain_id).is_active
    assert as_admin.get("/api/v1/auth/me/").status_code == 200
    assert entries(Action.DOMAIN_DEACTIVATED) == []


def test_an_admin_may_still_change_the_default_role_of_their_own_domain(
    as_admin, admin
):
    response = as_admin.patch(
        detail(admin.domain), {"default_role": "editor"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["default_role"] == "editor"


def test_a_domain_deactivated_behind_the_api_is_refused_at_once(viewer):
    browser = session_client(viewer)
    script, _ = token_client(viewer)

    Domain.objects.filter(pk=viewer.domain_id).update(is_active=False)

    assert browser.get("/api/v1/auth/me/").status_code == 401
    assert script.get("/api/v1/auth/me/").status_code == 401


def test_an_unused_domain_is_deleted(as_admin, admin, domain):
    unused = DomainFactory(name="unused.org")

    response = as_admin.delete(detail(unused))

    assert response.status_code == 204
    assert not Domain.objects.filter(name="unused.org").exists()
    [entry] = entries(Action.DOMAIN_DELETED)
    assert (entry.actor, entry.target_label) == (admin, "unused.org")


def test_a_domain_in_use_is_deactivated_not_deleted(as_operator, viewer):
    response = as_operator.delete(detail(viewer.domain))

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["user_count"] == 1
    assert Domain.objects.filter(pk=viewer.domain_id, is_active=False).exists()
    assert entries(Action.DOMAIN_DEACTIVATED)
    assert entries(Action.DOMAIN_DELETED) == []


@pytest.fixture
def as_viewer(api, viewer):
    return api(viewer)


def test_non_admins_cannot_see_or_change_domains(as_viewer, viewer):
    own = viewer.domain

    listed = as_viewer.get(DOMAINS)
    created = as_viewer.post(DOMAINS, {"name": "mine.org"}, format="json")
    read = as_viewer.get(detail(own))
    changed = as_viewer.patch(detail(own), {"default_role": "editor"}, format="json")
    deleted = as_viewer.delete(detail(own))

    assert (listed.status_code, created.status_code) == (403, 403)
    assert (read.status_code, changed.status_code, deleted.status_code) == (
        404,
        404,
        404,
    )
    own.refresh_from_db()
    assert (own.default_role, own.is_active) == (Role.VIEWER, True)
    assert not Domain.objects.filter(name="mine.org").exists()
