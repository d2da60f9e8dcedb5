"""
The same change sent several times at once: one request does it, the others
get a clear 4xx, and the activity log records each change once and as it
really happened.
"""

from itertools import pairwise

import pytest
from rest_framework.test import APIClient

from audit.actions import Action
from audit.models import ActivityLog
from catalogs.models import CatalogPermission, File, Version
from tests.catalogs.http import send_direct
from tests.concurrency import at_once

REQUESTS = 6

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def statuses(responses):
    return sorted(response.status_code for response in responses)


def recorded(action):
    return list(ActivityLog.objects.filter(action=action).order_by("sequence"))


def each_starts_where_the_last_ended(changes):
    """Whether `[old, new]` pairs form one chain, as changes made in turn do."""
    return all(earlier[1] == later[0] for earlier, later in pairwise(changes))


def test_granting_the_same_user_at_once_grants_once(catalog, owner, stranger):
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/"

    def grant(client):
        return client.post(
            path, {"email": stranger.email, "access": "read"}, format="json"
        )

    responses = at_once(owner, [grant] * REQUESTS)

    assert statuses(responses) == [201] + [409] * (REQUESTS - 1)
    assert CatalogPermission.objects.filter(user=stranger).count() == 1
    assert len(recorded(Action.PERMISSION_GRANTED)) == 1


def test_completing_a_direct_upload_at_once_makes_one_file(s3_storage, catalog, writer):
    data = b"%PDF-1.7\n" + b"report body\n" * 2048
    client = APIClient()
    client.force_authenticate(writer)
    started = client.post(
        f"/api/v1/catalogs/{catalog.pk}/uploads/",
        {"filename": "report.pdf", "size": len(data)},
        format="json",
    ).json()
    send_direct(started, data)

    def complete(client):
        return client.post(started["complete_url"])

    responses = at_once(writer, [complete] * REQUESTS)

    assert statuses(responses) == [201] + [409] * (REQUESTS - 1)
    refused = [r.json()["code"] for r in responses if r.status_code == 409]
    assert set(refused) == {"upload_completed"}
    assert File.objects.count() == 1
    assert Version.objects.count() == 1


def test_renames_at_once_are_recorded_one_after_another(stored_file, writer):
    path = f"/api/v1/files/{stored_file.pk}/"

    def rename_to(number):
        return lambda client: client.patch(
            path, {"name": f"name-{number}.txt"}, format="json"
        )

    responses = at_once(writer, [rename_to(number) for number in range(REQUESTS)])

    assert statuses(responses) == [200] * REQUESTS
    renames = [entry.changes["name"] for entry in recorded(Action.FILE_RENAMED)]
    assert len(renames) == REQUESTS
    assert renames[0][0] == "notes.txt"
    assert each_starts_where_the_last_ended(renames)
    stored_file.refresh_from_db()
    assert stored_file.name == renames[-1][1]


def test_trashing_at_once_trashes_once(stored_file, writer):
    path = f"/api/v1/files/{stored_file.pk}/"

    responses = at_once(writer, [lambda client: client.delete(path)] * REQUESTS)

    assert statuses(responses) == [204] + [409] * (REQUESTS - 1)
    assert len(recorded(Action.FILE_TRASHED)) == 1


def test_revoking_at_once_revokes_once(catalog, owner, reader):
    grant = CatalogPermission.objects.get(user=reader)
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/{grant.pk}/"

    responses = at_once(owner, [lambda client: client.delete(path)] * REQUESTS)

    assert statuses(responses) == [204] + [404] * (REQUESTS - 1)
    assert len(recorded(Action.PERMISSION_REVOKED)) == 1


def test_grant_changes_at_once_are_recorded_one_after_another(catalog, owner, reader):
    grant = CatalogPermission.objects.get(user=reader)
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/{grant.pk}/"
    levels = ["write", "manage"]

    def change_to(level):
        return lambda client: client.patch(path, {"access": level}, format="json")

    changes = [change_to(levels[number % 2]) for number in range(REQUESTS)]
    responses = at_once(owner, changes)

    assert statuses(responses) == [200] * REQUESTS
    changes = [entry.changes["access"] for entry in recorded(Action.PERMISSION_CHANGED)]
    assert changes[0][0] == "read"
    assert each_starts_where_the_last_ended(changes)
    grant.refresh_from_db()
    assert grant.access == changes[-1][1]
