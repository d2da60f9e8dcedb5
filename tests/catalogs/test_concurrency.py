import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.catalogs.factories import FileFactory
from tests.catalogs.http import downloaded, upload_body

UPLOADS = 20


def content_of(number):
    return f"upload {number}\n".encode() * (number + 1) * 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_new_versions_get_numbers_1_to_20(any_storage, catalog, writer):
    file = FileFactory(catalog=catalog)
    start_together = threading.Barrier(UPLOADS)

    def upload(number):
        client = APIClient()
        client.force_authenticate(writer)
        body = upload_body(content_of(number), f"part-{number}.txt")
        try:
            start_together.wait()
            return client.post(f"/api/v1/files/{file.pk}/versions/", body)
        finally:
            connection.close()

    with ThreadPoolExecutor(UPLOADS) as pool:
        responses = list(pool.map(upload, range(UPLOADS)))

    assert [r.status_code for r in responses] == [201] * UPLOADS
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == list(range(1, UPLOADS + 1))
    file.refresh_from_db()
    assert file.last_version_number == UPLOADS
    assert file.current_version.number == UPLOADS
    client = APIClient()
    client.force_authenticate(writer)
    for number, response in enumerate(responses):
        version = response.json()
        content, _ = downloaded(
            client.get(
                f"/api/v1/files/{file.pk}/versions/{version['number']}/download/"
            )
        )
        assert content == content_of(number)
        assert version["sha256"] == hashlib.sha256(content).hexdigest()
        assert version["original_name"] == f"part-{number}.txt"
