"""
Changes to a user meeting what the user, or someone else, does with them,
forced into the orders in which they once deadlocked or failed (see
`tests.concurrency.in_turn`).
"""

import pytest

from accounts.models import User
from catalogs.models import CatalogPermission
from chat.models import Conversation
from tests.audit.helpers import verify
from tests.catalogs.factories import CatalogFactory
from tests.concurrency import in_turn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHANGED_MEANWHILE = {
    "detail": "Another change to the same items happened at the same moment. "
    "Try again.",
    "code": "conflict_retry",
}


@pytest.fixture(autouse=True)
def log_stays_whole():
    yield
    verify()


def start_conversation(client):
    return client.post("/api/v1/conversations/", {}, format="json")


def test_changing_a_user_while_they_start_a_conversation(admin, viewer):
    path = f"/api/v1/users/{viewer.pk}/"

    responses = in_turn(
        (viewer, start_conversation),
        (admin, lambda client: client.patch(path, {"first_name": "V"}, format="json")),
    )

    assert [response.status_code for response in responses] == [201, 200]
    viewer.refresh_from_db()
    assert viewer.first_name == "V"


def test_deleting_a_user_who_starts_a_conversation_meanwhile(admin, viewer):
    path = f"/api/v1/users/{viewer.pk}/"

    responses = in_turn(
        (viewer, start_conversation),
        (admin, lambda client: client.delete(path)),
    )

    assert responses[0].status_code == 201
    assert responses[1].status_code == 409
    assert responses[1].json()["code"] == "user_owns_data"
    assert Conversation.objects.filter(owner=viewer).exists()


def test_a_conversation_of_a_user_deleted_meanwhile_is_refused(admin, viewer):
    path = f"/api/v1/users/{viewer.pk}/"

    responses = in_turn(
        (admin, lambda client: client.delete(path)),
        (viewer, start_conversation),
    )

    assert responses[0].status_code == 204
    assert responses[1].status_code == 409
    assert responses[1].json() == CHANGED_MEANWHILE
    assert not User.objects.filter(pk=viewer.pk).exists()
    assert not Conversation.objects.exists()


def test_granting_access_to_a_user_deleted_meanwhile_is_refused(admin, viewer):
    catalog = CatalogFactory()
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/"
    body = {"email": viewer.email, "access": "read"}

    responses = in_turn(
        (admin, lambda client: client.delete(f"/api/v1/users/{viewer.pk}/")),
        (catalog.owner, lambda client: client.post(path, body, format="json")),
    )

    assert responses[0].status_code == 204
    assert responses[1].status_code == 409
    assert responses[1].json() == CHANGED_MEANWHILE
    assert not CatalogPermission.objects.exists()
