"""Stored bytes and database rows never disagree: nothing is half-created."""

import shutil

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError

from audit.models import ActivityLog
from catalogs.models import File, Version
from catalogs.services import file_upload, version_upload
from tests.catalogs.factories import FileFactory
from tests.catalogs.http import upload_body


@pytest.fixture(params=["local", "s3"])
def broken_storage(request, settings, tmp_path):
    """A storage that cannot be written: a missing bucket, or a blocked folder."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
        settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"
    else:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = blocker / "media"
    return request.param


def assert_storage_unavailable(response):
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "storage_unavailable"
    assert "storage is unavailable" in response.json()["detail"]


@pytest.mark.django_db
def test_failed_storage_creates_no_file(broken_storage, api, catalog, writer):
    response = api(writer).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(b"lost?")
    )

    assert_storage_unavailable(response)
    assert not File.objects.exists()
    assert not Version.objects.exists()
    assert not ActivityLog.objects.exists()


@pytest.mark.django_db
def test_failed_storage_creates_no_version(broken_storage, api, catalog, writer):
    file = FileFactory(catalog=catalog)

    uploaded = api(writer).post(f"/api/v1/files/{file.pk}/versions/", upload_body(b"v"))

    assert_storage_unavailable(uploaded)
    file.refresh_from_db()
    assert file.last_version_number == 0
    assert file.current_version is None
    assert not Version.objects.exists()


@pytest.fixture
def break_storage(any_storage, media_root):
    """Make the storage in use fail from now on, as if it were gone."""

    def breaker():
        if any_storage == "s3":
            bucket = default_storage.bucket
            bucket.objects.all().delete()
            bucket.delete()
        else:
            shutil.rmtree(media_root)
            media_root.write_text("a file where the media folder should be")

    return breaker


@pytest.mark.django_db
def test_failed_storage_restores_nothing(
    any_storage, break_storage, api, stored_file, writer
):
    break_storage()

    response = api(writer).post(f"/api/v1/files/{stored_file.pk}/versions/1/restore/")

    assert_storage_unavailable(response)
    assert stored_file.versions.count() == 1


@pytest.mark.django_db
def test_failed_download(any_storage, break_storage, api, stored_file, reader):
    break_storage()

    response = api(reader).get(f"/api/v1/files/{stored_file.pk}/download/")

    if any_storage == "s3":
        # Signing a URL needs no call to S3; the client hears from S3 itself.
        assert response.status_code == 302
        assert requests.get(response["Location"], timeout=30).status_code >= 400
    else:
        assert response.status_code == 503
        assert response.json()["code"] == "storage_unavailable"


@pytest.mark.django_db
def test_a_database_failure_removes_the_object_just_stored(
    any_storage, stored_file, owner
):
    # A version of another file already holds the key the next upload gets.
    taken = f"catalogs/{stored_file.catalog_id}/files/{stored_file.pk}/v2/next.txt"
    other = FileFactory(catalog=stored_file.catalog)
    Version.objects.create(
        file=other,
        number=1,
        storage_key=taken,
        size=0,
        sha256="0" * 64,
        content_type="text/plain",
        original_name="other",
        uploaded_by=owner,
    )

    with pytest.raises(IntegrityError):
        version_upload(
            file=stored_file,
            uploader=owner,
            content=ContentFile(b"doomed", name="next.txt"),
        )

    assert not default_storage.exists(taken)
    stored_file.refresh_from_db()
    assert stored_file.last_version_number == 1
    assert stored_file.versions.count() == 1


@pytest.mark.django_db
def test_cleanup_orphans_counts_then_removes_unreferenced_objects(
    any_storage, catalog, owner, capsys
):
    kept = file_upload(
        catalog=catalog, uploader=owner, content=ContentFile(b"keep", name="keep.txt")
    )
    orphan = default_storage.save(
        "catalogs/99/files/7/v1/lost.txt", ContentFile(b"x" * 1500)
    )
    outside = default_storage.save("elsewhere/not-ours.txt", ContentFile(b"x"))

    call_command("cleanup_orphans", "--older-than", "0")
    counted = capsys.readouterr().out
    assert default_storage.exists(orphan)

    call_command("cleanup_orphans", "--older-than", "0", "--delete")

    assert counted.splitlines() == [
        "Found 1 orphan(s) of 1,500 byte(s); --delete removes them."
    ]
    assert capsys.readouterr().out.splitlines() == [
        "Removed 1 orphan(s) of 1,500 byte(s)."
    ]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.current_version.storage_key)
    assert default_storage.exists(outside)


@pytest.mark.django_db
def test_cleanup_orphans_lists_the_keys_only_at_verbosity_2(any_storage, capsys):
    orphan = default_storage.save("catalogs/9/files/7/v1/lost.txt", ContentFile(b"x"))

    call_command("cleanup_orphans", "--older-than", "0", "--verbosity", "2")

    assert capsys.readouterr().out.splitlines() == [
        orphan,
        "Found 1 orphan(s) of 1 byte(s); --delete removes them.",
    ]


@pytest.mark.django_db
def test_cleanup_orphans_leaves_young_objects_alone(any_storage, capsys):
    orphan = default_storage.save("catalogs/1/files/1/v1/new.txt", ContentFile(b"x"))

    call_command("cleanup_orphans", "--delete")

    assert default_storage.exists(orphan)
    assert "Removed 0 orphan(s) of 0 byte(s)." in capsys.readouterr().out


@pytest.mark.django_db
def test_cleanup_orphans_keeps_direct_uploads_that_may_still_complete(
    s3_storage, api, catalog, writer, capsys
):
    from catalogs.models import Upload
    from tests.catalogs.http import send_direct

    started = (
        api(writer)
        .post(
            f"/api/v1/catalogs/{catalog.pk}/uploads/",
            {"filename": "big.bin", "size": 3},
            format="json",
        )
        .json()
    )
    send_direct(started, b"abc")

    call_command("cleanup_orphans", "--older-than", "0", "--delete")
    kept = default_storage.exists(started["fields"]["key"])
    Upload.objects.update(expires_at="2000-01-01T00:00:00Z")
    call_command("cleanup_orphans", "--older-than", "0", "--delete")

    assert kept
    assert not default_storage.exists(started["fields"]["key"])
