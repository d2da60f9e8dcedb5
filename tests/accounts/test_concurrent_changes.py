"""
Requests about the same user or domain at once: each change lands, none is
written over with old values, and a repeated one is done once.
"""

import pytest

from accounts.models import Domain, Role, User
from audit.actions import Action
from audit.models import ActivityLog
from tests.accounts.factories import DomainFactory
from tests.concurrency import at_once

STRONG = "plum-orchard-lantern-93"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def patch(path, body):
    return lambda client: client.patch(path, body, format="json")


def post(path, body):
    return lambda client: client.post(path, body, format="json")


def test_changes_to_different_fields_at_once_all_land(admin, viewer):
    DomainFactory(name="example.com")
    path = f"/api/v1/users/{viewer.pk}/"
    changes = [
        {"first_name": "Vee"},
        {"last_name": "Lindqvist"},
        {"role": Role.EDITOR},
        {"email": "vera@example.com"},
        {"is_active": False},
    ]

    responses = at_once(admin, [patch(path, body) for body in changes])

    assert [response.status_code for response in responses] == [200] * len(changes)
    viewer.refresh_from_db()
    assert (
        viewer.first_name,
        viewer.last_name,
        viewer.role,
        viewer.email,
        viewer.domain.name,
        viewer.is_active,
    ) == ("Vee", "Lindqvist", Role.EDITOR, "vera@example.com", "example.com", False)


def test_deactivating_at_once_deactivates_once(admin, viewer):
    path = f"/api/v1/users/{viewer.pk}/"

    responses = at_once(admin, [patch(path, {"is_active": False})] * 6)

    assert [response.status_code for response in responses] == [200] * 6
    assert ActivityLog.objects.filter(action=Action.USER_DEACTIVATED).count() == 1


def test_deleting_a_domain_at_once_deletes_it_once(admin):
    domain = DomainFactory(name="example.net")
    path = f"/api/v1/domains/{domain.pk}/"

    responses = at_once(admin, [lambda client: client.delete(path)] * 6)

    assert sorted(response.status_code for response in responses) == [204] + [404] * 5
    assert not Domain.objects.filter(pk=domain.pk).exists()
    assert ActivityLog.objects.filter(action=Action.DOMAIN_DELETED).count() == 1


def test_signing_up_with_one_address_at_once_makes_one_user():
    DomainFactory(name="example.org")
    spellings = [
        "ana@example.org",
        "Ana@example.org",
        "ANA@example.org",
        " ana@Example.org",
        "ana@EXAMPLE.ORG",
        "Ana@Example.Org ",
    ]
    sign_ups = [
        post("/api/v1/auth/register/", {"email": email, "password": STRONG})
        for email in spellings
    ]

    responses = at_once(None, sign_ups)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [400] * 5
    refusals = [
        response.json() for response in responses if response.status_code == 400
    ]
    assert {refusal["code"] for refusal in refusals} == {"email_taken"}
    assert User.objects.filter(email="ana@example.org").count() == 1
    assert ActivityLog.objects.filter(action=Action.USER_REGISTERED).count() == 1
