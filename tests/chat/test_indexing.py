import io

import boto3
import pytest
from django.core.management import CommandError, call_command

from audit.actions import Action
from audit.models import ActivityLog
from catalogs.models import ExtractionStatus
from catalogs.services import file_purge
from catalogs.signals import version_created
from chat import services
from chat.models import Passage
from chat.services import version_extract
from tests.catalogs.factories import CatalogFactory, FileFactory
from tests.chat.factories import pdf_bytes, version_store
from tests.conftest import free_loopback_port

pytestmark = pytest.mark.django_db

STORY = " ".join(f"palabra{n}" for n in range(400))


def test_extracted_version_is_done_with_its_passages(settings):
    settings.CHAT_PASSAGE_WORDS = 180
    settings.CHAT_PASSAGE_OVERLAP = 40
    version = version_store(FileFactory(), STORY.encode())

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE
    assert version.extraction_error == ""
    passages = list(version.passages.order_by("position"))
    assert [p.position for p in passages] == [0, 1, 2]
    assert passages[0].text.split()[0] == "palabra0"
    assert passages[1].text.split()[0] == "palabra140"
    assert passages[2].text.split()[-1] == "palabra399"
    assert {p.page for p in passages} == {None}


def test_pdf_passages_remember_their_page():
    content = pdf_bytes("first page words", "second page words")
    version = version_store(FileFactory(name="two.pdf"), content)

    version_extract(version=version)

    pages = list(version.passages.order_by("position").values_list("page", "text"))
    assert pages == [(1, "first page words"), (2, "second page words")]


def test_version_stored_on_s3_is_extracted(s3_storage):
    version = version_store(FileFactory(name="notes.md"), "# Notas\n\nAcción".encode())
    stored = boto3.client("s3").head_object(Bucket=s3_storage, Key=version.storage_key)

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE
    assert list(version.passages.values_list("text", flat=True)) == ["# Notas Acción"]
    assert stored["ContentLength"] == version.size


def test_unreadable_version_fails_with_a_reason_and_keeps_its_upload():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    version = version_store(FileFactory(name="scan.pdf"), png)

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error == (
        "The file is named .pdf but its content is a PNG image."
    )
    assert not version.passages.exists()
    assert version.file.current_version == version


def test_empty_version_is_skipped():
    version = version_store(FileFactory(), b"")

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.SKIPPED
    assert version.extraction_error == "The file is empty."


def test_missing_stored_file_fails_without_raising(caplog):
    version = version_store(FileFactory(), b"some words")
    version.storage_key = "tests/never-stored.txt"
    version.save()

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error == services.UNEXPECTED_EXTRACTION_ERROR
    assert "could not read the stored file: FileNotFoundError" in caplog.text
    assert "never-stored" not in caplog.text


def test_unreachable_s3_fails_the_extraction_without_logging_the_key(
    s3_storage, settings, caplog
):
    version = version_store(FileFactory(name="salaries-2026.txt"), b"some words")
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_loopback_port()}"
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage reads it

    version_extract(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error == services.UNEXPECTED_EXTRACTION_ERROR
    assert "could not read the stored file: EndpointConnectionError" in caplog.text
    assert "salaries" not in caplog.text


def test_extracting_again_replaces_the_passages():
    version = version_store(FileFactory(), b"old words here")
    version_extract(version=version)
    first_ids = set(version.passages.values_list("pk", flat=True))

    version_extract(version=version)

    assert version.passages.count() == 1
    assert first_ids.isdisjoint(version.passages.values_list("pk", flat=True))


def test_extraction_is_recorded_in_the_activity_log():
    version = version_store(FileFactory(), b"a few words")

    version_extract(version=version)

    entry = ActivityLog.objects.get(action=Action.VERSION_TEXT_EXTRACTED)
    assert entry.target_id == str(version.pk)
    assert entry.details == {"status": "done", "passages": 1}
    assert entry.actor is None


def test_new_version_signal_extracts_its_text_inline():
    version = version_store(FileFactory(), b"signal words")

    version_created.send(sender=type(version), version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE


def test_async_extraction_goes_through_the_zappa_task(settings, monkeypatch):
    # Outside Lambda, Zappa's task runs inline after checking its arguments
    # can travel as JSON: that is the path a Lambda invocation takes.
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    settings.EXTRACTION_ASYNC = True
    version = version_store(FileFactory(), b"task words")

    services.version_extract_later(version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE


def test_new_version_signal_never_breaks_the_upload(monkeypatch, caplog):
    version = version_store(FileFactory(), b"words")

    def broken(**kwargs):
        raise RuntimeError("dispatch failed")

    monkeypatch.setattr("chat.receivers.version_extract_later", broken)
    version_created.send(sender=type(version), version=version)

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.PENDING
    assert "was not started" in caplog.text


def test_a_version_purged_before_its_text_is_stored_is_left_alone(caplog):
    version = version_store(FileFactory(), b"some words")
    file_purge(file=version.file, actor=version.uploaded_by)

    version_extract(version=version)

    assert not Passage.objects.exists()
    assert not ActivityLog.objects.filter(action=Action.VERSION_TEXT_EXTRACTED).exists()
    assert f"Version {version.pk} was deleted before its text was stored" in (
        caplog.text
    )


def test_reindex_extracts_current_versions_of_one_catalog():
    catalog = CatalogFactory()
    file = FileFactory(catalog=catalog)
    old = version_store(file, b"old words")
    current = version_store(file, b"current words")
    trashed = FileFactory(catalog=catalog)
    version_store(trashed, b"trashed words")
    trashed.trashed_at = trashed.created_at
    trashed.save()
    elsewhere = version_store(FileFactory(), b"other catalog words")
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("reindex", str(catalog.pk), stdout=stdout, stderr=stderr)

    assert stdout.getvalue() == "Reindexed: 0 pending, 1 done, 0 failed, 0 skipped.\n"
    assert "1/1" in stderr.getvalue()
    assert Passage.objects.filter(version=current).exists()
    assert not Passage.objects.filter(version__in=[old, elsewhere]).exists()
    assert not Passage.objects.filter(version__file=trashed).exists()


def test_reindex_without_catalog_covers_them_all():
    versions = [version_store(FileFactory(), b"words") for _ in range(3)]

    call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())

    assert Passage.objects.filter(version__in=versions).count() == 3


def test_reindex_of_pending_versions_leaves_the_extracted_ones_alone():
    pending = version_store(FileFactory(), b"never extracted words")
    extracted = version_store(FileFactory(), b"extracted words")
    version_extract(version=extracted)
    stdout = io.StringIO()

    call_command("reindex", "--pending", stdout=stdout, stderr=io.StringIO())

    assert stdout.getvalue() == "Reindexed: 0 pending, 1 done, 0 failed, 0 skipped.\n"
    assert Passage.objects.filter(version=pending).exists()
    extractions = ActivityLog.objects.filter(action=Action.VERSION_TEXT_EXTRACTED)
    assert [entry.target_id for entry in extractions] == [
        str(extracted.pk),
        str(pending.pk),
    ]


def test_reindex_of_an_unknown_catalog_is_an_error():
    with pytest.raises(CommandError, match="no catalog with id 999"):
        call_command("reindex", "999")
