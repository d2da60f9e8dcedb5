import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import Role
from audit.models import ActivityLog
from catalogs.models import Catalog, File, Version
from catalogs.services import file_upload
from chat.models import Conversation, Message
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.chat.factories import ConversationFactory, MessageFactory


@pytest.mark.django_db
def test_list_shows_only_readable_catalogs(api, catalog, reader):
    CatalogFactory(name="Someone else's")
    own = CatalogFactory(owner=reader, owner__role=Role.EDITOR, name="Own")

    response = api(reader).get("/api/v1/catalogs/")

    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [catalog.pk, own.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 201), (Role.EDITOR, 201), (Role.VIEWER, 403)]
)
def test_editors_and_admins_create_catalogs_viewers_do_not(api, role, status):
    user = UserFactory(role=role)

    response = api(user).post(
        "/api/v1/catalogs/", {"name": "Contracts", "description": "Signed ones"}
    )

    assert response.status_code == status
    assert Catalog.objects.filter(name="Contracts", owner=user).exists() == (
        status == 201
    )


@pytest.mark.django_db
def test_created_catalog_is_managed_by_its_creator_and_recorded(api):
    editor = UserFactory(role=Role.EDITOR)

    body = api(editor).post("/api/v1/catalogs/", {"name": "Contracts"}).json()

    assert body["owner"] == {"id": editor.pk, "email": editor.email}
    assert body["access"] == "manage"
    assert body["file_count"] == 0
    entry = ActivityLog.objects.get(action="catalog.created")
    assert (entry.actor, entry.target_id) == (editor, str(body["id"]))


@pytest.mark.django_db
def test_catalog_needs_a_name(api, owner):
    response = api(owner).post("/api/v1/catalogs/", {"description": "no name"})

    assert response.status_code == 400
    assert response.json() == {"name": ["This field is required."]}


@pytest.mark.django_db
def test_rename_and_describe_are_recorded_with_their_changes(api, catalog, manager):
    old_name = catalog.name

    response = api(manager).patch(
        f"/api/v1/catalogs/{catalog.pk}/",
        {"name": "Renamed", "description": "Now described"},
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    entry = ActivityLog.objects.get(action="catalog.updated")
    assert entry.changes == {
        "name": [old_name, "Renamed"],
        "description": ["", "Now described"],
    }


@pytest.mark.django_db
def test_deleting_an_empty_catalog(api, catalog, owner):
    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 204
    assert not Catalog.objects.exists()
    assert ActivityLog.objects.filter(action="catalog.deleted").count() == 1


@pytest.mark.django_db
def test_deleting_a_catalog_with_files_asks_for_force(
    any_storage, api, catalog, owner, stored_file
):
    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "catalog_not_empty"
    detail = response.json()["detail"]
    assert f"DELETE /api/v1/catalogs/{catalog.pk}/?force=true" in detail
    assert "DELETE /api/v1/files/{id}/?purge=true" in detail
    assert Catalog.objects.filter(pk=catalog.pk).exists()


@pytest.mark.django_db
def test_a_catalog_holding_only_trashed_files_says_so(api, catalog, owner, stored_file):
    api(owner).delete(f"/api/v1/files/{stored_file.pk}/")

    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 409
    assert "1 file(s), those in the trash included" in response.json()["detail"]


@pytest.mark.django_db
def test_deleting_a_catalog_deletes_the_conversations_about_it(
    api, catalog, owner, reader
):
    about = ConversationFactory(owner=reader, catalog=catalog)
    MessageFactory.create_batch(2, conversation=about)
    elsewhere = ConversationFactory(owner=reader, catalog=None)

    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 204
    assert list(Conversation.objects.all()) == [elsewhere]
    assert not Message.objects.exists()
    entry = ActivityLog.objects.get(action="catalog.deleted")
    assert (entry.actor, entry.target_id) == (owner, str(catalog.pk))
    assert entry.details == {"name": catalog.name, "files": 0, "conversations": 1}


@pytest.mark.django_db
def test_a_refused_delete_keeps_the_conversations(api, catalog, owner, stored_file):
    conversation = ConversationFactory(owner=owner, catalog=catalog)

    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 409
    assert Conversation.objects.filter(pk=conversation.pk).exists()


@pytest.mark.django_db
def test_forced_delete_removes_files_and_their_stored_objects(
    any_storage, api, catalog, owner, stored_file, django_capture_on_commit_callbacks
):
    key = stored_file.current_version.storage_key

    with django_capture_on_commit_callbacks(execute=True):
        response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/?force=true")

    assert response.status_code == 204
    assert not Catalog.objects.exists()
    assert not File.objects.exists() and not Version.objects.exists()
    assert not default_storage.exists(key)


@pytest.mark.django_db
def test_bad_force_value_is_a_400(api, catalog, owner):
    response = api(owner).delete(f"/api/v1/catalogs/{catalog.pk}/?force=perhaps")

    assert response.status_code == 400
    assert response.json() == {"force": "Use true or false."}


@pytest.mark.django_db
def test_catalog_list_is_searchable_filterable_and_orderable(api):
    owner = UserFactory(role=Role.EDITOR)
    CatalogFactory(owner=owner, name="Invoices 2024")
    CatalogFactory(owner=owner, name="Invoices 2025")
    CatalogFactory(owner=owner, name="Contracts", description="about invoices too")
    CatalogFactory(name="Invoices of someone else")
    client = api(owner)

    searched = client.get("/api/v1/catalogs/?search=invoices&ordering=-name")
    owned = client.get(f"/api/v1/catalogs/?owner={owner.pk}&ordering=name")

    assert [c["name"] for c in searched.json()["results"]] == [
        "Invoices 2025",
        "Invoices 2024",
        "Contracts",
    ]
    assert owned.json()["count"] == 3
    assert owned.json()["results"][0]["name"] == "Contracts"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ordering=password", "ordering"),
        ("ordering=owner__email", "ordering"),
        ("owner=someone", "owner"),
        ("created_after=yesterday", "created_after"),
    ],
)
def test_bad_catalog_list_parameters_are_a_400(api, owner, query, field):
    response = api(owner).get(f"/api/v1/catalogs/?{query}")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_catalog_list_costs_the_same_queries_whatever_its_length(
    api, django_assert_num_queries
):
    owner = UserFactory(role=Role.EDITOR)
    client = api(owner)
    CatalogFactory(owner=owner)
    with django_assert_num_queries(2) as short:
        client.get("/api/v1/catalogs/")

    for _ in range(9):
        catalog = CatalogFactory(owner=owner)
        GrantFactory(catalog=catalog)
        file_upload(
            catalog=catalog, uploader=owner, content=ContentFile(b"x", name="x.txt")
        )
    with django_assert_num_queries(2):
        response = client.get("/api/v1/catalogs/")

    assert response.json()["count"] == 10
    assert len(short.captured_queries) == 2


@pytest.mark.django_db
def test_file_counts_leave_out_the_trash(api, catalog, owner, stored_file):
    api(owner).delete(f"/api/v1/files/{stored_file.pk}/")
    file_upload(catalog=catalog, uploader=owner, content=ContentFile(b"y", name="y"))

    body = api(owner).get(f"/api/v1/catalogs/{catalog.pk}/").json()

    assert body["file_count"] == 1
