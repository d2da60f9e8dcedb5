import hashlib
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from audit.models import ActivityLog
from catalogs.models import File, Upload, Version
from catalogs.services import file_purge, upload_complete
from config.exceptions import Conflict
from config.locking import DeletedMeanwhile
from tests.catalogs.http import downloaded, send_direct

DATA = b"%PDF-1.7\n" + b"large report body\n" * 4096


def start(client, catalog, **body):
    body = {"filename": "report.pdf", "size": len(DATA), **body}
    return client.post(f"/api/v1/catalogs/{catalog.pk}/uploads/", body, format="json")


def complete(client, upload_id):
    return client.post(f"/api/v1/uploads/{upload_id}/complete/")


@pytest.mark.django_db
def test_direct_upload_creates_a_file(s3_storage, api, catalog, writer, reader):
    client = api(writer)

    started = start(client, catalog, content_type="application/pdf", comment="Q3")
    sent = send_direct(started.json(), DATA)
    completed = complete(client, started.json()["id"])

    assert started.status_code == 201, started.content
    assert started.json()["method"] == "POST"
    assert started.json()["max_bytes"] == len(DATA)
    assert started.json()["complete_url"].endswith(
        f"/api/v1/uploads/{started.json()['id']}/complete/"
    )
    assert sent.status_code == 204, sent.text
    assert completed.status_code == 201, completed.content
    file = completed.json()
    assert file["name"] == "report.pdf"
    version = file["current_version"]
    assert version["number"] == 1
    assert version["size"] == len(DATA)
    assert version["sha256"] == hashlib.sha256(DATA).hexdigest()
    assert version["content_type"] == "application/pdf"
    assert version["comment"] == "Q3"
    content, disposition = downloaded(
        api(reader).get(f"/api/v1/files/{file['id']}/download/")
    )
    assert content == DATA
    assert disposition == 'attachment; filename="report.pdf"'


@pytest.mark.django_db
def test_presigned_request_names_its_key_size_and_expiry(
    s3_storage, api, catalog, writer
):
    import base64
    import json

    started = start(api(writer), catalog, filename="../../Año 📄.pdf").json()

    policy = json.loads(base64.b64decode(started["fields"]["policy"]))
    key = started["fields"]["key"]
    assert key == f"catalogs/{catalog.pk}/uploads/{started['id']}/ano.pdf"
    assert ["content-length-range", len(DATA), len(DATA)] in policy["conditions"]
    assert {"key": key} in policy["conditions"]
    expires_at = timezone.datetime.fromisoformat(started["expires_at"])
    assert timezone.now() < expires_at <= timezone.now() + timedelta(minutes=5)
    assert Upload.objects.get().original_name == "../../Año 📄.pdf"


@pytest.mark.django_db
def test_direct_upload_adds_a_version(s3_storage, api, catalog, stored_file, writer):
    client = api(writer)

    started = start(client, catalog, file=stored_file.pk, filename="notes-v2.pdf")
    send_direct(started.json(), DATA)
    completed = complete(client, started.json()["id"])

    assert completed.status_code == 201, completed.content
    assert completed.json()["id"] == stored_file.pk
    assert completed.json()["name"] == "notes.txt"
    assert completed.json()["current_version"]["number"] == 2
    assert completed.json()["current_version"]["original_name"] == "notes-v2.pdf"
    content, _ = downloaded(client.get(f"/api/v1/files/{stored_file.pk}/download/"))
    assert content == DATA


@pytest.mark.django_db
def test_direct_upload_of_an_empty_file(s3_storage, api, catalog, writer):
    client = api(writer)

    started = start(client, catalog, filename="empty.txt", size=0).json()
    send_direct(started, b"")
    completed = complete(client, started["id"])

    assert completed.status_code == 201, completed.content
    assert completed.json()["current_version"]["size"] == 0


@pytest.mark.django_db
def test_direct_upload_keeps_a_300_character_name(s3_storage, api, catalog, writer):
    client = api(writer)
    name = "ü" * 300 + ".txt"

    started = start(client, catalog, filename=name, size=5).json()
    send_direct(started, b"hello")
    completed = complete(client, started["id"])

    assert completed.json()["name"] == name
    version = Version.objects.get()
    assert version.original_name == name
    assert version.storage_key.endswith("/" + "u" * 80 + ".txt")


@pytest.mark.django_db
def test_completing_twice_is_a_conflict(s3_storage, api, catalog, writer):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    complete(client, started["id"])

    again = complete(client, started["id"])

    assert again.status_code == 409
    assert again.json()["code"] == "upload_completed"
    assert Version.objects.count() == 1


@pytest.mark.django_db
def test_a_request_that_lost_the_race_to_complete_is_a_conflict(
    s3_storage, api, catalog, writer, django_capture_on_commit_callbacks
):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    read_before_the_other_request_finished = Upload.objects.get(pk=started["id"])
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, started["id"])

    with pytest.raises(Conflict) as refused:
        upload_complete(upload=read_before_the_other_request_finished, actor=writer)

    assert refused.value.code == "upload_completed"
    assert Version.objects.count() == 1


def start_version_upload(client, file):
    started = start(client, file.catalog, file=file.pk, filename="notes-v2.pdf")
    send_direct(started.json(), DATA)
    return Upload.objects.select_related("catalog", "file").get()


@pytest.mark.django_db
def test_an_upload_whose_file_was_purged_meanwhile_is_not_found(
    s3_storage, api, stored_file, owner, writer
):
    read_before_the_purge = start_version_upload(api(writer), stored_file)
    file_purge(file=stored_file, actor=owner)

    with pytest.raises(DeletedMeanwhile) as refused:
        upload_complete(upload=read_before_the_purge, actor=writer)

    assert refused.value.detail == "This file was deleted meanwhile."
    assert not Version.objects.exists()


@pytest.mark.django_db
def test_an_upload_removed_with_its_file_meanwhile_is_not_found(
    s3_storage, api, stored_file, owner, writer, django_capture_on_commit_callbacks
):
    read_before_the_purge = start_version_upload(api(writer), stored_file)
    with django_capture_on_commit_callbacks(execute=True):
        file_purge(file=stored_file, actor=owner)

    with pytest.raises(DeletedMeanwhile) as refused:
        upload_complete(upload=read_before_the_purge, actor=writer)

    assert refused.value.detail == "This upload was deleted meanwhile."
    assert not Version.objects.exists()


@pytest.mark.django_db
def test_someone_elses_upload_cannot_be_completed(
    s3_storage, api, catalog, writer, manager
):
    started = start(api(writer), catalog).json()
    send_direct(started, DATA)

    response = complete(api(manager), started["id"])

    assert response.status_code == 404
    assert not File.objects.exists()
    assert complete(api(writer), started["id"]).status_code == 201


@pytest.mark.django_db
def test_completing_before_sending_anything(s3_storage, api, catalog, writer):
    started = start(api(writer), catalog).json()

    response = complete(api(writer), started["id"])

    assert response.status_code == 400
    assert response.json()["code"] == "upload_missing"
    assert not File.objects.exists()
    assert not Upload.objects.get().is_completed


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [DATA[:-1], DATA + b"!"])
def test_completing_an_object_of_another_size(s3_storage, api, catalog, writer, sent):
    client = api(writer)
    started = start(client, catalog).json()
    # moto does not enforce the size range of a presigned POST; S3 does.
    send_direct(started, sent)

    response = complete(client, started["id"])

    assert response.status_code == 400
    assert response.json()["code"] == "upload_size_mismatch"
    assert f"{len(sent):,} bytes" in response.json()["detail"]
    assert not File.objects.exists()


@pytest.mark.django_db
def test_a_wrong_upload_can_be_sent_again_and_completed(
    s3_storage, api, catalog, writer
):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, b"short")
    assert complete(client, started["id"]).status_code == 400

    send_direct(started, DATA)
    response = complete(client, started["id"])

    assert response.status_code == 201
    assert (
        response.json()["current_version"]["sha256"] == hashlib.sha256(DATA).hexdigest()
    )


@pytest.mark.django_db
def test_an_old_upload_can_no_longer_be_completed(s3_storage, api, catalog, writer):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    Upload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = complete(client, started["id"])

    assert response.status_code == 410
    assert response.json()["code"] == "upload_expired"
    assert not File.objects.exists()


@pytest.mark.django_db
def test_an_unknown_upload_is_not_found(s3_storage, api, writer):
    response = complete(api(writer), "8c6f9a52-1111-4a8e-9bde-000000000000")

    assert response.status_code == 404


@pytest.mark.django_db
def test_losing_write_access_before_completing(s3_storage, api, catalog, writer):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    catalog.permissions.filter(user=writer).update(access="read")

    downgraded = complete(client, started["id"])
    catalog.permissions.filter(user=writer).delete()
    revoked = complete(client, started["id"])

    assert downgraded.status_code == 403
    assert revoked.status_code == 404
    assert not File.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"size": -1}, "size"),
        ({"size": 5 * 1024**3 + 1}, "size"),
        ({"size": "big"}, "size"),
        ({"filename": ""}, "filename"),
        ({"file": 999999}, "file"),
        ({"content_type": "text/html\r\nX-Evil: 1"}, "content_type"),
        ({"content_type": "pdf"}, "content_type"),
        ({"content_type": "application/pdf; x=\u00e9"}, "content_type"),
    ],
)
def test_bad_direct_upload_requests_are_a_400(
    s3_storage, api, catalog, writer, body, field
):
    response = start(api(writer), catalog, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_a_file_of_another_catalog_cannot_get_a_direct_version(
    s3_storage, api, catalog, writer
):
    from django.core.files.base import ContentFile

    from catalogs.services import file_upload
    from tests.catalogs.factories import CatalogFactory

    elsewhere = CatalogFactory()
    other = file_upload(
        catalog=elsewhere, uploader=elsewhere.owner, content=ContentFile(b"x", name="x")
    )

    response = start(api(writer), catalog, file=other.pk)

    assert response.status_code == 400
    assert "does not exist" in response.json()["file"][0]


@pytest.mark.django_db
def test_direct_uploads_need_s3(api, catalog, writer):
    response = start(api(writer), catalog)

    assert response.status_code == 400
    assert response.json()["code"] == "direct_upload_unavailable"
    assert "need S3" in response.json()["detail"]
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_direct_uploads_are_recorded(s3_storage, api, catalog, writer):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    complete(client, started["id"])

    actions = list(ActivityLog.objects.values_list("action", flat=True))

    assert actions == ["upload.started", "file.uploaded"]
    assert (
        ActivityLog.objects.get(action="file.uploaded").details["upload"]
        == (started["id"])
    )


@pytest.mark.django_db
def test_a_completed_version_cannot_be_changed_through_its_presigned_request(
    s3_storage, api, catalog, writer, django_capture_on_commit_callbacks
):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)

    with django_capture_on_commit_callbacks(execute=True):
        completed = complete(client, started["id"]).json()
    send_direct(started, b"x" * len(DATA))  # the request is still valid

    version = Version.objects.get()
    file_id = completed["id"]
    assert version.storage_key == f"catalogs/{catalog.pk}/files/{file_id}/v1/report.pdf"
    content, _ = downloaded(client.get(f"/api/v1/files/{file_id}/download/"))
    assert content == DATA
    assert Upload.objects.get().version == version


@pytest.mark.django_db
def test_the_upload_object_is_removed_once_completed(
    s3_storage, api, catalog, writer, django_capture_on_commit_callbacks
):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)

    with django_capture_on_commit_callbacks(execute=True):
        complete(client, started["id"])

    assert not default_storage.exists(started["fields"]["key"])
    assert default_storage.exists(Version.objects.get().storage_key)


@pytest.mark.django_db
def test_a_copy_on_condition_refuses_a_replaced_object(s3_storage):
    from django.core.files.base import ContentFile

    from catalogs import storage

    default_storage.save("catalogs/1/uploads/x/a.bin", ContentFile(b"first"))
    etag, chunks = storage.read_s3_object("catalogs/1/uploads/x/a.bin")
    assert b"".join(chunks) == b"first"
    default_storage.delete("catalogs/1/uploads/x/a.bin")
    default_storage.save("catalogs/1/uploads/x/a.bin", ContentFile(b"other"))

    with pytest.raises(storage.ObjectChanged):
        storage.copy(
            "catalogs/1/uploads/x/a.bin",
            "catalogs/1/files/1/v1/a.bin",
            content_type="text/plain",
            if_match=etag,
        )
    assert not default_storage.exists("catalogs/1/files/1/v1/a.bin")


@pytest.mark.django_db
def test_completing_while_storage_is_unreachable(
    s3_storage, settings, api, catalog, writer
):
    client = api(writer)
    started = start(client, catalog).json()
    send_direct(started, DATA)
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage reads it

    response = client.post(f"/api/v1/uploads/{started['id']}/complete/")

    assert response.status_code == 503
    assert response.json()["code"] == "storage_unavailable"
    assert not File.objects.exists()
    assert not Upload.objects.get().is_completed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["application/pdf", "Text/Markdown", "application/vnd.ms-excel"]
)
def test_a_media_type_is_passed_on_to_the_presigned_request(
    s3_storage, api, catalog, writer, content_type
):
    response = start(api(writer), catalog, content_type=content_type)

    assert response.status_code == 201
    assert response.json()["fields"]["Content-Type"] == content_type
