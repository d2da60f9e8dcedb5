import logging
import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import ActivityLog
from catalogs.models import File, Version
from catalogs.services import file_upload, version_upload
from tests.catalogs.factories import CatalogFactory
from tests.catalogs.http import downloaded, upload_body


def add_file(catalog, user, name, data=b"text\n"):
    return file_upload(
        catalog=catalog, uploader=user, content=ContentFile(data, name=name)
    )


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_files_list_is_paginated(api, catalog, owner):
    for number in range(5):
        add_file(catalog, owner, f"file-{number}.txt")

    response = api(owner).get(f"/api/v1/catalogs/{catalog.pk}/files/?page_size=2")

    body = response.json()
    assert body["count"] == 5
    assert names(response) == ["file-0.txt", "file-1.txt"]
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None


@pytest.mark.django_db
def test_files_are_searchable_filterable_and_orderable(api, catalog, owner):
    add_file(catalog, owner, "Budget 2024.csv", b"a,b\n1,2\n")
    add_file(catalog, owner, "budget notes.md", b"# Budget\n" * 50)
    add_file(catalog, owner, "logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    client = api(owner)
    url = f"/api/v1/catalogs/{catalog.pk}/files/"

    assert names(client.get(f"{url}?search=BUDGET&ordering=-name")) == [
        "budget notes.md",
        "Budget 2024.csv",
    ]
    assert names(client.get(f"{url}?content_type=image/png")) == ["logo.png"]
    assert names(client.get(f"{url}?ordering=-size")) == [
        "budget notes.md",
        "logo.png",
        "Budget 2024.csv",
    ]


@pytest.mark.django_db
def test_all_files_list_spans_readable_catalogs_only(api, catalog, reader, owner):
    add_file(catalog, owner, "mine.txt")
    add_file(CatalogFactory(), owner, "hidden.txt")
    other = CatalogFactory(owner=reader, owner__role="editor")
    add_file(other, reader, "theirs.txt")

    everything = api(reader).get("/api/v1/files/")
    one_catalog = api(reader).get(f"/api/v1/files/?catalog={other.pk}")

    assert names(everything) == ["mine.txt", "theirs.txt"]
    assert names(one_catalog) == ["theirs.txt"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=storage_key", "ordering"),
        ("ordering=name,-secret", "ordering"),
        ("trashed=maybe", "trashed"),
        ("catalog=first", "catalog"),
        ("created_before=31/12/2024", "created_before"),
    ],
)
def test_bad_file_list_parameters_are_a_400(api, catalog, owner, query, field):
    for url in ["/api/v1/files/", f"/api/v1/catalogs/{catalog.pk}/files/"]:
        response = api(owner).get(f"{url}?{query}")

        assert response.status_code == 400
        assert field in response.json()


@pytest.mark.django_db
def test_file_lists_cost_the_same_queries_whatever_their_length(api, catalog, owner):
    client = api(owner)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    first = add_file(catalog, owner, "a.txt")
    short = [
        queries("/api/v1/files/"),
        queries(f"/api/v1/catalogs/{catalog.pk}/files/"),
        queries(f"/api/v1/files/{first.pk}/versions/"),
    ]
    for number in range(12):
        file = add_file(catalog, owner, f"more-{number}.txt")
        version_upload(
            file=first,
            uploader=file.created_by,
            content=ContentFile(b"v", name="v.txt"),
        )
    long = [
        queries("/api/v1/files/"),
        queries(f"/api/v1/catalogs/{catalog.pk}/files/"),
        queries(f"/api/v1/files/{first.pk}/versions/"),
    ]

    assert long == short == [2, 3, 3]
    assert Version.objects.filter(file=first).count() == 13


@pytest.mark.django_db
def test_versions_list_newest_first_and_filterable(api, stored_file, owner, writer):
    version_upload(
        file=stored_file,
        uploader=writer,
        content=ContentFile(b"second", name="second.txt"),
        comment="typo fixed",
    )
    url = f"/api/v1/files/{stored_file.pk}/versions/"
    client = api(owner)

    everything = client.get(url).json()
    by_writer = client.get(f"{url}?uploaded_by={writer.pk}").json()
    searched = client.get(f"{url}?search=typo").json()
    oldest_first = client.get(f"{url}?ordering=number").json()

    assert [v["number"] for v in everything["results"]] == [2, 1]
    assert [v["number"] for v in by_writer["results"]] == [2]
    assert [v["number"] for v in searched["results"]] == [2]
    assert [v["number"] for v in oldest_first["results"]] == [1, 2]
    assert client.get(f"{url}?ordering=sha").status_code == 400


@pytest.mark.django_db
def test_rename_keeps_version_names(api, stored_file, writer):
    response = api(writer).patch(
        f"/api/v1/files/{stored_file.pk}/", {"name": "Notas de reunión 📝.txt"}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Notas de reunión 📝.txt"
    assert response.json()["current_version"]["original_name"] == "notes.txt"
    assert ActivityLog.objects.get(action="file.renamed").changes == {
        "name": ["notes.txt", "Notas de reunión 📝.txt"]
    }


@pytest.mark.django_db
def test_unknown_version_is_a_404(api, stored_file, owner):
    for path in ["versions/2/", "versions/2/download/", "versions/0/restore/"]:
        method = "post" if path.endswith("restore/") else "get"

        response = getattr(api(owner), method)(f"/api/v1/files/{stored_file.pk}/{path}")

        assert response.status_code == 404


# Trash


@pytest.mark.django_db
def test_trash_hides_a_file_and_restore_brings_it_back(
    any_storage, api, catalog, stored_file, writer
):
    client = api(writer)
    url = f"/api/v1/catalogs/{catalog.pk}/files/"

    trashed = client.delete(f"/api/v1/files/{stored_file.pk}/")
    hidden = names(client.get(url))
    in_trash = client.get(f"{url}?trashed=true").json()["results"]
    restored = client.post(f"/api/v1/files/{stored_file.pk}/restore/")

    assert trashed.status_code == 204
    assert hidden == []
    assert [(f["id"], f["trashed_by"]["id"]) for f in in_trash] == [
        (stored_file.pk, writer.pk)
    ]
    assert restored.status_code == 200
    assert restored.json()["trashed_at"] is None
    assert names(client.get(url)) == ["notes.txt"]
    assert names(client.get(f"{url}?trashed=true")) == []
    assert ActivityLog.objects.filter(action="file.trashed", actor=writer).count() == 1
    assert ActivityLog.objects.filter(action="file.restored", actor=writer).count() == 1


@pytest.mark.django_db
def test_a_trashed_file_can_be_read_but_not_changed(
    any_storage, api, stored_file, writer
):
    client = api(writer)
    client.delete(f"/api/v1/files/{stored_file.pk}/")
    url = f"/api/v1/files/{stored_file.pk}/"

    detail = client.get(url)
    content, _ = downloaded(client.get(f"{url}download/"))
    renamed = client.patch(url, {"name": "other.txt"})
    new_version = client.post(f"{url}versions/", upload_body(b"more"))
    restored_version = client.post(f"{url}versions/1/restore/")
    trashed_again = client.delete(url)

    assert detail.status_code == 200
    assert content == b"first version\n"
    for refused in [renamed, new_version, restored_version, trashed_again]:
        assert refused.status_code == 409
        assert refused.json()["code"] == "file_trashed"
    assert stored_file.versions.count() == 1


@pytest.mark.django_db
def test_purge_removes_the_file_and_every_stored_version(
    any_storage, api, stored_file, owner, django_capture_on_commit_callbacks
):
    version_upload(
        file=stored_file, uploader=owner, content=ContentFile(b"two", name="two.txt")
    )
    keys = list(stored_file.versions.values_list("storage_key", flat=True))
    assert all(default_storage.exists(key) for key in keys)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(owner).delete(f"/api/v1/files/{stored_file.pk}/?purge=true")

    assert response.status_code == 204
    assert not File.objects.exists()
    assert not Version.objects.exists()
    assert not any(default_storage.exists(key) for key in keys)
    entry = ActivityLog.objects.get(action="file.purged")
    assert entry.details == {"name": "notes.txt", "versions": 2}


@pytest.mark.django_db
def test_writers_trash_but_only_managers_purge(api, stored_file, writer, manager):
    refused = api(writer).delete(f"/api/v1/files/{stored_file.pk}/?purge=true")
    purged = api(manager).delete(f"/api/v1/files/{stored_file.pk}/?purge=true")

    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "Only people who manage this catalog can do this."
    )
    assert purged.status_code == 204


# Restoring a version


@pytest.mark.django_db
def test_restore_makes_a_new_version_with_the_old_content(
    any_storage, api, stored_file, owner, writer
):
    version_upload(
        file=stored_file, uploader=owner, content=ContentFile(b"bad edit", name="n.txt")
    )

    response = api(writer).post(
        f"/api/v1/files/{stored_file.pk}/versions/1/restore/", {"comment": "Undo"}
    )

    assert response.status_code == 201, response.content
    restored = response.json()
    first = stored_file.versions.get(number=1)
    assert restored["number"] == 3
    assert restored["comment"] == "Undo"
    assert restored["uploaded_by"]["id"] == writer.pk
    assert (restored["sha256"], restored["size"], restored["original_name"]) == (
        first.sha256,
        first.size,
        first.original_name,
    )
    third = stored_file.versions.get(number=3)
    assert third.storage_key != first.storage_key
    content, _ = downloaded(
        api(writer).get(f"/api/v1/files/{stored_file.pk}/download/")
    )
    assert content == b"first version\n"
    entry = ActivityLog.objects.get(action="version.restored")
    assert entry.details["restored_from"] == 1


REQUEST_LINE = re.compile(r"\b(GET|HEAD|PUT|POST|DELETE) (/\S*) HTTP/")


@pytest.fixture
def s3_requests(caplog):
    """
    The requests the moto server receives, as `(method, path)` pairs.

    The server logs each request line through werkzeug's logger, from the
    thread that serves it, before it answers.
    """
    caplog.set_level(logging.INFO, logger="werkzeug")

    def received():
        lines = [
            record.getMessage()
            for record in caplog.records
            if record.name == "werkzeug"
        ]
        matches = filter(None, (REQUEST_LINE.search(line) for line in lines))
        return [(match[1], unquote(match[2].split("?")[0])) for match in matches]

    return received


@pytest.mark.django_db
def test_restore_copies_the_object_inside_s3_without_reading_it(
    s3_storage, api, stored_file, owner, s3_requests
):
    """A download and upload again would GET the old object and PUT its bytes."""
    source = f"/{s3_storage}/{stored_file.current_version.storage_key}"
    before = len(s3_requests())

    response = api(owner).post(f"/api/v1/files/{stored_file.pk}/versions/1/restore/")

    during = s3_requests()[before:]
    copy = f"/{s3_storage}/{Version.objects.get(number=2).storage_key}"
    assert response.status_code == 201, response.content
    assert ("PUT", copy) in during
    assert not [path for method, path in during if method == "GET"]
    assert all(path != source for method, path in during if method != "HEAD")
    content, _ = downloaded(api(owner).get(f"/api/v1/files/{stored_file.pk}/download/"))
    assert content == b"first version\n"
    assert ("GET", copy) in s3_requests()[before:]


@pytest.mark.django_db
def test_restore_without_a_comment_says_where_it_came_from(api, stored_file, owner):
    response = api(owner).post(f"/api/v1/files/{stored_file.pk}/versions/1/restore/")

    assert response.json()["comment"] == "Restored from version 1."
