"""What the storage layer logs when it fails: ids, never the names of files."""

import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalogs import storage
from config.exceptions import StorageUnavailable
from tests.conftest import free_loopback_port

FOLDER = "catalogs/1/files/2/v1"
NAMED = f"{FOLDER}/maria-garcia-cv.pdf"


def test_a_failure_is_logged_without_the_path_it_names(caplog):
    with (
        caplog.at_level(logging.WARNING, logger="catalogs.storage"),
        pytest.raises(StorageUnavailable),
        storage.storage_errors(),
    ):
        default_storage.open(NAMED, "rb")

    assert "Storage failed: FileNotFoundError: No such file or directory" in caplog.text
    assert "maria" not in caplog.text


def test_an_object_left_behind_is_logged_by_its_folder(caplog):
    default_storage.save(f"{NAMED}/part", ContentFile(b"x"))

    with caplog.at_level(logging.WARNING, logger="catalogs.storage"):
        storage.delete_quietly(NAMED)

    assert f"Could not delete the stored object in {FOLDER} (OSError:" in caplog.text
    assert "maria" not in caplog.text


@pytest.fixture
def unreachable_s3(s3_storage, settings):
    """S3 storage whose endpoint is a loopback port nothing listens on."""
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_loopback_port()}"
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage reads it


@pytest.mark.parametrize(
    "operation",
    [
        lambda: storage.save(NAMED, ContentFile(b"x"), content_type="text/plain"),
        lambda: storage.size_of(NAMED),
        lambda: storage.read_s3_object(NAMED),
    ],
    ids=["save", "size", "read"],
)
def test_an_unreachable_s3_is_logged_without_the_key(unreachable_s3, caplog, operation):
    with caplog.at_level(logging.WARNING), pytest.raises(StorageUnavailable):
        operation()

    assert "Storage failed: EndpointConnectionError" in caplog.messages
    assert "maria" not in caplog.text
    assert FOLDER not in caplog.text


def test_an_object_left_behind_on_unreachable_s3_is_logged_by_its_folder(
    unreachable_s3, caplog
):
    with caplog.at_level(logging.WARNING):
        storage.delete_quietly(NAMED)

    assert caplog.messages == [
        f"Could not delete the stored object in {FOLDER} "
        "(EndpointConnectionError); it is now an orphan"
    ]


def test_an_s3_refusal_is_logged_by_its_error_code(s3_storage, settings, caplog):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"

    with caplog.at_level(logging.WARNING), pytest.raises(StorageUnavailable):
        storage.read_s3_object(NAMED)

    assert caplog.messages == ["Storage failed: ClientError: NoSuchBucket"]
