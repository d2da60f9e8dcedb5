"""
A request that PostgreSQL aborts to break a deadlock answers 409 and asks
to try again; the database is not unavailable.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from catalogs.models import File
from catalogs.services import file_upload
from tests.catalogs.factories import CatalogFactory
from tests.concurrency import chain_held, sent_as, wait_until_stopped

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def patient_test_connection():
    """Let the request, never the test, be the one PostgreSQL aborts."""
    with connection.cursor() as cursor:
        cursor.execute("SET deadlock_timeout = '60s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET deadlock_timeout")


def test_a_request_caught_in_a_deadlock_gets_a_409_to_try_again(
    patient_test_connection, editor, caplog
):
    stored_file = file_upload(
        catalog=CatalogFactory(owner=editor),
        uploader=editor,
        content=ContentFile(b"notes\n", name="notes.txt"),
    )
    path = f"/api/v1/files/{stored_file.pk}/"

    def rename(client):
        return client.patch(path, {"name": "renamed.txt"}, format="json")

    with ThreadPoolExecutor(1) as pool, chain_held():
        # The rename holds the file's row and waits for the chain, which the
        # test holds and will not let go before it has the file's row too.
        renamed = pool.submit(sent_as, editor, rename)
        wait_until_stopped([renamed])
        with caplog.at_level(logging.WARNING), transaction.atomic():
            File.objects.select_for_update().get(pk=stored_file.pk)

    response = renamed.result()
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict_retry"
    assert body["detail"] == (
        "Another change to the same items happened at the same moment. Try again."
    )
    assert body["request_id"] == response["X-Request-ID"]
    assert f"Conflict on PATCH {path}" in caplog.text
    stored_file.refresh_from_db()
    assert stored_file.name == "notes.txt"
