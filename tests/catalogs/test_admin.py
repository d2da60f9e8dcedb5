import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from audit.models import ActivityLog
from catalogs.models import Catalog, CatalogPermission, File
from catalogs.services import version_upload
from chat.models import Conversation, Message
from chat.services import version_extract
from tests.accounts.factories import AdminFactory, UserFactory
from tests.catalogs.http import downloaded
from tests.chat.factories import ConversationFactory, MessageFactory


@pytest.fixture
def staff(client):
    admin = AdminFactory()
    client.force_login(admin)
    return admin


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


@pytest.mark.django_db
def test_catalog_page_shows_grants_and_files(
    client, staff, catalog, reader, stored_file
):
    response = client.get(f"/admin/catalogs/catalog/{catalog.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert reader.email in page
    assert "notes.txt" in page


@pytest.mark.django_db
def test_creating_a_catalog_with_a_grant_goes_through_the_services(client, staff):
    owner = UserFactory(role=Role.EDITOR)
    viewer = UserFactory(role=Role.VIEWER)

    response = client.post(
        "/admin/catalogs/catalog/add/",
        {
            "name": "Board papers",
            "description": "",
            "owner": owner.pk,
            **inline_management("permissions", total=1),
            "permissions-0-user": viewer.pk,
            "permissions-0-access": "read",
            **inline_management("files"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    catalog = Catalog.objects.get(name="Board papers")
    assert catalog.owner == owner
    grant = CatalogPermission.objects.get(catalog=catalog)
    assert (grant.user, grant.access, grant.granted_by) == (viewer, "read", staff)
    recorded = ActivityLog.objects.filter(action__regex=r"^(catalog|permission)\.")
    assert list(recorded.values_list("action", "actor")) == [
        ("catalog.created", staff.pk),
        ("permission.granted", staff.pk),
    ]


@pytest.mark.django_db
def test_a_viewer_cannot_own_a_catalog(client, staff):
    viewer = UserFactory(role=Role.VIEWER)

    response = client.post(
        "/admin/catalogs/catalog/add/",
        {
            "name": "Nope",
            "owner": viewer.pk,
            **inline_management("permissions"),
            **inline_management("files"),
        },
    )

    assert response.status_code == 200
    assert "Only editors and admins can own catalogs." in response.content.decode()
    assert not Catalog.objects.exists()


@pytest.mark.django_db
def test_granting_the_owner_is_refused_in_the_form(client, staff, catalog):
    response = client.post(
        f"/admin/catalogs/catalog/{catalog.pk}/change/",
        {
            "name": catalog.name,
            "description": "",
            **inline_management("permissions", total=1),
            "permissions-0-user": catalog.owner.pk,
            "permissions-0-access": "write",
            **inline_management("files"),
        },
    )

    assert response.status_code == 200
    assert "The owner already manages this catalog." in response.content.decode()
    assert not CatalogPermission.objects.exists()


@pytest.mark.django_db
def test_file_page_shows_history_with_download_links(
    any_storage, client, staff, stored_file
):
    version_upload(
        file=stored_file, uploader=staff, content=ContentFile(b"two", name="two.txt")
    )

    page = client.get(f"/admin/catalogs/file/{stored_file.pk}/change/")
    link = f"/admin/catalogs/file/{stored_file.pk}/versions/1/download/"
    content, disposition = downloaded(client.get(link))

    assert page.status_code == 200
    assert link in page.content.decode()
    assert "two.txt" in page.content.decode()
    assert content == b"first version\n"
    assert disposition == 'attachment; filename="notes.txt"'
    assert ActivityLog.objects.filter(action="file.downloaded").count() == 1


@pytest.mark.django_db
def test_file_page_shows_why_text_extraction_failed(client, staff, stored_file):
    image = b"\x89PNG\r\n\x1a\n" + bytes(64)
    version = version_upload(
        file=stored_file, uploader=staff, content=ContentFile(image, name="scan.pdf")
    )
    version_extract(version=version)

    page = client.get(f"/admin/catalogs/file/{stored_file.pk}/change/")

    version.refresh_from_db()
    assert version.extraction_status == "failed"
    assert version.extraction_error == (
        "The file is named .pdf but its content is a PNG image."
    )
    assert version.extraction_error in page.content.decode()


@pytest.mark.django_db
def test_uploading_a_new_version_in_the_admin(any_storage, client, staff, stored_file):
    response = client.post(
        f"/admin/catalogs/file/{stored_file.pk}/change/",
        {
            "name": "notes.txt",
            "new_version": SimpleUploadedFile("notes-2.txt", b"from the admin"),
            "comment": "Edited by staff",
            **inline_management("versions", initial=1, total=1),
            "versions-0-id": stored_file.current_version.pk,
            "versions-0-file": stored_file.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    stored_file.refresh_from_db()
    version = stored_file.current_version
    assert (version.number, version.comment, version.uploaded_by) == (
        2,
        "Edited by staff",
        staff,
    )
    content, _ = downloaded(
        client.get(f"/admin/catalogs/file/{stored_file.pk}/versions/2/download/")
    )
    assert content == b"from the admin"


@pytest.mark.django_db
def test_uploading_a_first_file_in_the_admin(any_storage, client, staff, catalog):
    response = client.post(
        "/admin/catalogs/file/add/",
        {
            "catalog": catalog.pk,
            "upload": SimpleUploadedFile("minutes.txt", b"agreed: ship it"),
            "name": "",
            "comment": "From the board",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    file = File.objects.get(catalog=catalog)
    assert (file.name, file.current_version.number) == ("minutes.txt", 1)
    assert file.current_version.comment == "From the board"
    content, _ = downloaded(
        client.get(f"/admin/catalogs/file/{file.pk}/versions/1/download/")
    )
    assert content == b"agreed: ship it"
    assert ActivityLog.objects.filter(action="file.uploaded").count() == 1


@pytest.mark.django_db
def test_add_file_form_has_no_version_history(client, staff, catalog):
    response = client.get("/admin/catalogs/file/add/")

    assert response.status_code == 200
    assert 'name="upload"' in response.content.decode()
    assert "versions-TOTAL_FORMS" not in response.content.decode()


@pytest.mark.django_db
def test_storage_failure_in_the_admin_is_a_message_not_an_error(
    client, staff, catalog, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"

    response = client.post(
        "/admin/catalogs/file/add/",
        {"catalog": catalog.pk, "upload": SimpleUploadedFile("a.txt", b"a")},
        follow=True,
    )

    assert response.status_code == 200
    assert "storage is unavailable" in response.content.decode()
    assert not File.objects.exists()


@pytest.mark.django_db
def test_trash_and_restore_actions(client, staff, stored_file):
    def act(action):
        return client.post(
            "/admin/catalogs/file/",
            {"action": action, "_selected_action": [stored_file.pk]},
        )

    act("trash")
    trashed = File.objects.get().is_trashed
    act("restore")

    assert trashed
    assert not File.objects.get().is_trashed
    assert (
        ActivityLog.objects.filter(action__in=["file.trashed", "file.restored"]).count()
        == 2
    )


@pytest.mark.django_db
def test_deleting_a_file_in_the_admin_purges_it(
    any_storage, client, staff, stored_file, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    key = stored_file.current_version.storage_key

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/catalogs/file/{stored_file.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not File.objects.exists()
    assert not default_storage.exists(key)
    assert ActivityLog.objects.filter(action="file.purged").count() == 1


@pytest.mark.django_db
def test_deleting_a_catalog_in_the_admin_deletes_its_files_and_conversations(
    client, staff, catalog, reader, stored_file
):
    about = ConversationFactory(owner=reader, catalog=catalog)
    MessageFactory(conversation=about)
    elsewhere = ConversationFactory(owner=reader, catalog=None)
    url = f"/admin/catalogs/catalog/{catalog.pk}/delete/"

    confirmation = client.get(url)
    response = client.post(url, {"post": "yes"})

    assert confirmation.status_code == 200
    assert not confirmation.context["perms_lacking"]
    assert "Conversation" in confirmation.content.decode()
    assert response.status_code == 302
    assert not Catalog.objects.exists() and not File.objects.exists()
    assert list(Conversation.objects.all()) == [elsewhere]
    assert not Message.objects.exists()
    entry = ActivityLog.objects.get(action="catalog.deleted")
    assert (entry.actor, entry.target_id) == (staff, str(catalog.pk))
    assert entry.details == {"name": catalog.name, "files": 1, "conversations": 1}


@pytest.mark.django_db
def test_deleting_catalogs_with_the_admin_action_deletes_their_conversations(
    client, staff, catalog
):
    ConversationFactory(owner=catalog.owner, catalog=catalog)

    response = client.post(
        "/admin/catalogs/catalog/",
        {"action": "delete_selected", "_selected_action": [catalog.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Catalog.objects.exists() and not Conversation.objects.exists()
    assert (
        ActivityLog.objects.get(action="catalog.deleted").details["conversations"] == 1
    )
