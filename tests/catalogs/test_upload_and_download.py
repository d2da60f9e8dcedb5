import hashlib
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage

from audit.models import ActivityLog
from catalogs.models import File, Version
from tests.catalogs.http import downloaded, upload_body

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(client, catalog, data, filename="document.txt", **fields):
    return client.post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(data, filename, **fields)
    )


@pytest.mark.django_db
def test_upload_creates_a_file_with_version_1(any_storage, api, catalog, writer):
    data = b"Minutes of the meeting.\n"

    response = upload(api(writer), catalog, data, "minutes.txt", comment="First")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "minutes.txt"
    assert body["catalog"] == catalog.pk
    version = body["current_version"]
    assert version["number"] == 1
    assert version["size"] == len(data)
    assert version["sha256"] == hashlib.sha256(data).hexdigest()
    assert version["content_type"] == "text/plain"
    assert version["original_name"] == "minutes.txt"
    assert version["comment"] == "First"
    assert version["uploaded_by"]["id"] == writer.pk
    stored = Version.objects.get()
    assert default_storage.open(stored.storage_key).read() == data


@pytest.mark.django_db
def test_download_returns_the_exact_bytes(any_storage, api, catalog, reader, owner):
    data = bytes(range(256)) * 1000
    file_id = upload(api(owner), catalog, data, "blob.bin").json()["id"]

    response = api(reader).get(f"/api/v1/files/{file_id}/download/")

    content, disposition = downloaded(response)
    assert content == data
    assert disposition == 'attachment; filename="blob.bin"'


@pytest.mark.django_db
def test_s3_download_is_a_redirect_to_a_short_lived_url(
    s3_storage, settings, api, catalog, owner
):
    file_id = upload(api(owner), catalog, b"hello").json()["id"]

    response = api(owner).get(f"/api/v1/files/{file_id}/download/")

    assert response.status_code == 302
    assert s3_storage in response["Location"]
    assert f"X-Amz-Expires={settings.AWS_QUERYSTRING_EXPIRE}" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "informe año 2024.pdf",
        "notas de reunión 📝 ✅.md",
        "报告.txt",
        "semi;colon, comma.txt",
        "y" * 250 + ".txt",
    ],
)
def test_unicode_and_long_names_are_kept_for_display_and_download(
    any_storage, api, catalog, owner, name
):
    response = upload(api(owner), catalog, b"content", name)

    assert response.status_code == 201, response.content
    file = File.objects.get()
    version = file.current_version
    assert file.name == name
    assert version.original_name == name
    key = version.storage_key
    assert key.startswith(f"catalogs/{catalog.pk}/files/{file.pk}/v1/")
    assert key.isascii()
    assert len(key.rsplit("/", 1)[1]) <= 100
    content, disposition = downloaded(
        api(owner).get(f"/api/v1/files/{file.pk}/download/")
    )
    assert content == b"content"
    if not name.isascii():
        assert f"filename*=utf-8''{quote(name)}" in disposition


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "../../etc/passwd"),
        ("..\\..\\windows\\system.ini", "..\\..\\windows\\system.ini"),
        ("/absolute/path.txt", "/absolute/path.txt"),
        ("bell\x07and\nnew\rline\x1b.txt", "bellandnewline.txt"),
        ("..", ".."),
        ('say "hi".txt', 'say "hi".txt'),
        ("z" * 300 + ".txt", "z" * 300 + ".txt"),
    ],
)
def test_hostile_display_names_never_reach_the_storage_key(
    any_storage, api, catalog, owner, name, shown
):
    response = upload(api(owner), catalog, b"safe", "plain.txt", name=name)

    assert response.status_code == 201, response.content
    file = File.objects.get()
    key = file.current_version.storage_key
    assert file.name == shown
    assert key == f"catalogs/{catalog.pk}/files/{file.pk}/v1/plain.txt"
    _, disposition = downloaded(api(owner).get(f"/api/v1/files/{file.pk}/download/"))
    assert disposition == 'attachment; filename="plain.txt"'


@pytest.mark.django_db
def test_hostile_original_names_never_reach_the_storage_key(any_storage, owner):
    from django.core.files.base import ContentFile

    from catalogs.services import file_upload
    from tests.catalogs.factories import CatalogFactory

    catalog = CatalogFactory(owner=owner)
    names = ["../../../etc/passwd", "a/../../b.txt", "\x1b[31mred.txt", ".hidden"]

    files = [
        file_upload(catalog=catalog, uploader=owner, content=ContentFile(b"x", name=n))
        for n in names
    ]

    keys = [file.current_version.storage_key for file in files]
    prefix = f"catalogs/{catalog.pk}/files/"
    assert all(key.startswith(prefix) and ".." not in key for key in keys)
    assert [key.rsplit("/", 1)[1] for key in keys] == [
        "passwd",
        "b.txt",
        "31mred.txt",
        "hidden",
    ]
    assert [file.name for file in files] == [
        "../../../etc/passwd",
        "a/../../b.txt",
        "[31mred.txt",
        ".hidden",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("padding", [0, 80])
def test_multipart_file_names_are_kept_whole_past_the_filesystem_limit(
    any_storage, api, catalog, owner, corpus_dir, padding
):
    path = next((corpus_dir / "tricky").glob("the-twelve-factor-app-*"))
    name = f"{path.stem}{'-' * padding}{path.suffix}"

    response = upload(api(owner), catalog, path.read_bytes(), name)

    assert response.status_code == 201, response.content
    version = File.objects.get().current_version
    assert version.original_name == name
    assert len(version.storage_key) < 200
    _, disposition = downloaded(
        api(owner).get(f"/api/v1/files/{response.json()['id']}/download/")
    )
    assert disposition == f'attachment; filename="{name}"'


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["notas de reunión 📝 " * 20 + ".md", "a." + "b" * 300, "c" * 896 + ".txt"],
    ids=["unicode", "long extension", "longest a part's headers hold"],
)
def test_long_names_of_files_held_on_disk_are_kept_whole(
    settings, api, catalog, owner, name
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = b"line of text\n" * 1000

    response = upload(api(owner), catalog, data, name)

    assert response.status_code == 201, response.content
    version = File.objects.get().current_version
    assert (version.original_name, version.size) == (name, len(data))


@pytest.mark.django_db
def test_a_new_version_keeps_its_long_name_whole(any_storage, api, stored_file, owner):
    name = "acta " * 100 + ".txt"

    response = api(owner).post(
        f"/api/v1/files/{stored_file.pk}/versions/", upload_body(b"v2", name)
    )

    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == name


@pytest.mark.django_db
def test_multipart_file_names_lose_their_folders(api, catalog, owner):
    response = upload(api(owner), catalog, b"x", "../../etc/passwd")

    assert response.status_code == 201, response.content
    assert File.objects.get().current_version.original_name == "passwd"


@pytest.mark.django_db
def test_a_file_name_too_long_for_a_multipart_part_is_refused(api, catalog, owner):
    response = upload(api(owner), catalog, b"x", "d" * 1021 + ".txt")

    assert response.status_code == 400
    assert "header size" in response.json()["detail"]
    assert not File.objects.exists()


@pytest.mark.django_db
def test_a_name_with_nothing_printable_is_refused(api, catalog, owner):
    response = upload(api(owner), catalog, b"x", "ok.txt", name="\x01\x02\n")

    assert response.status_code == 400
    assert response.json()["detail"] == "The file name is empty."
    assert not File.objects.exists()


@pytest.mark.django_db
def test_a_name_with_a_null_character_is_refused(api, catalog, owner):
    response = upload(api(owner), catalog, b"x", "ok.txt", name="nul\x00.txt")

    assert response.status_code == 400
    assert response.json() == {"name": ["Null characters are not allowed."]}
    assert not File.objects.exists()


@pytest.mark.django_db
def test_empty_file_is_stored_and_downloaded(any_storage, api, catalog, owner):
    response = upload(api(owner), catalog, b"", "empty.txt")

    assert response.status_code == 201, response.content
    version = response.json()["current_version"]
    assert version["size"] == 0
    assert version["sha256"] == hashlib.sha256(b"").hexdigest()
    content, _ = downloaded(
        api(owner).get(f"/api/v1/files/{response.json()['id']}/download/")
    )
    assert content == b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "claimed", "sniffed"),
    [
        (PDF, "report.txt", "text/plain", "application/pdf"),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "picture.pdf",
            "application/pdf",
            "image/png",
        ),
        (b"# Title\n\nSome *text*.\n", "notes.md", "application/pdf", "text/markdown"),
        (b"a,b\n1,2\n", "table.csv", "image/png", "text/csv"),
        (b"<html><body>hi</body></html>", "page.html", "text/plain", "text/html"),
        ("Señor, ¿qué tal?".encode("cp1252"), "carta.txt", "image/gif", "text/plain"),
        (b"\x00\x01\x02\x03binary", "data.csv", "text/csv", "application/octet-stream"),
    ],
)
def test_content_type_is_sniffed_not_taken_from_the_client(
    api, catalog, owner, data, name, claimed, sniffed
):
    response = upload(api(owner), catalog, data, name, content_type=claimed)

    assert response.status_code == 201, response.content
    assert response.json()["current_version"]["content_type"] == sniffed


@pytest.mark.django_db
def test_corpus_documents_round_trip_with_their_sniffed_types(
    any_storage, api, catalog, owner, corpus_dir
):
    expected = {
        "tricky/actually-a-png-image.pdf": "image/png",
        "tricky/actually-an-xlsx-spreadsheet.docx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        "docs/w3c-formatos-de-fechas.html": "text/html",
        "docs/zen-of-python-example.pdf": "application/pdf",
    }
    for relative, content_type in expected.items():
        data = (corpus_dir / relative).read_bytes()

        response = upload(api(owner), catalog, data, relative.rsplit("/", 1)[1])

        assert response.status_code == 201, response.content
        assert response.json()["current_version"]["content_type"] == content_type
        content, _ = downloaded(
            api(owner).get(f"/api/v1/files/{response.json()['id']}/download/")
        )
        assert content == data


@pytest.mark.django_db
def test_new_version_through_the_api(any_storage, api, stored_file, writer):
    response = api(writer).post(
        f"/api/v1/files/{stored_file.pk}/versions/",
        upload_body(b"second version\n", "notes-v2.txt", comment="Fixed typos"),
    )

    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    assert response.json()["original_name"] == "notes-v2.txt"
    stored_file.refresh_from_db()
    assert stored_file.current_version.number == 2
    assert stored_file.name == "notes.txt"
    old, _ = downloaded(
        api(writer).get(f"/api/v1/files/{stored_file.pk}/versions/1/download/")
    )
    new, _ = downloaded(api(writer).get(f"/api/v1/files/{stored_file.pk}/download/"))
    assert (old, new) == (b"first version\n", b"second version\n")


@pytest.mark.django_db
def test_uploads_and_downloads_are_recorded(any_storage, api, catalog, owner, reader):
    file_id = upload(api(owner), catalog, b"audit me").json()["id"]
    api(reader).get(f"/api/v1/files/{file_id}/download/")

    entries = list(ActivityLog.objects.values_list("action", "actor", "target_id"))
    version_id = str(Version.objects.get().pk)
    assert entries == [
        ("file.uploaded", owner.pk, str(file_id)),
        ("file.downloaded", reader.pk, version_id),
    ]


@pytest.mark.django_db
def test_new_version_hook_fires_on_commit(
    api, catalog, owner, django_capture_on_commit_callbacks
):
    from catalogs.signals import version_created

    received = []

    def receiver(sender, version, **kwargs):
        received.append(version.pk)

    version_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(api(owner), catalog, b"extract me")
    finally:
        version_created.disconnect(receiver)

    assert received == [Version.objects.get().pk]
