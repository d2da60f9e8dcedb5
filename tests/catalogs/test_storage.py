"""What the storage layer logs when it fails: ids, never the names of files."""

import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalogs import storage
from config.exceptions import StorageUnavailable

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
