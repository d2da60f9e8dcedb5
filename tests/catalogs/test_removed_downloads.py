"""Download links handed out before a file is purged stop working with it."""

import pytest
import requests

from tests.catalogs.http import upload_body


@pytest.mark.django_db
def test_a_presigned_link_dies_with_the_purged_file(
    s3_storage, api, catalog, owner, reader, django_capture_on_commit_callbacks
):
    file_id = (
        api(owner)
        .post(f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(b"secret"))
        .json()["id"]
    )
    link = api(reader).get(f"/api/v1/files/{file_id}/download/")["Location"]
    assert requests.get(link, timeout=30).content == b"secret"

    with django_capture_on_commit_callbacks(execute=True):
        api(owner).delete(f"/api/v1/files/{file_id}/?purge=true")

    after = requests.get(link, timeout=30)
    assert after.status_code in {403, 404}
    assert b"secret" not in after.content
    assert api(reader).get(f"/api/v1/files/{file_id}/download/").status_code == 404
    assert api(reader).get(f"/api/v1/files/{file_id}/versions/1/").status_code == 404
