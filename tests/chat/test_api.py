import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.actions import Action
from audit.models import ActivityLog
from chat.models import Conversation, Message
from tests.accounts.factories import AdminFactory, UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.chat.factories import ConversationFactory, MessageFactory, document_add

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations/"


def messages_url(conversation):
    return f"{CONVERSATIONS}{conversation.pk}/messages/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def as_user(user):
    return logged_in(user)


@pytest.fixture
def catalog(user):
    catalog = CatalogFactory(owner=user)
    document_add(
        catalog,
        "lace.txt",
        "La novia vio el encaje de Alençón rasgado en la puerta.".encode(),
    )
    document_add(catalog, "config.md", b"Apps keep config in environment variables.")
    return catalog


def test_the_api_root_links_to_the_conversations(as_user):
    root = as_user.get("/api/v1/", HTTP_ACCEPT="application/json").json()

    assert root["conversations"] == "http://testserver/api/v1/conversations/"


class TestConversations:
    def test_anonymous_callers_are_refused(self):
        response = Client().get(CONVERSATIONS)

        assert response.status_code == 401

    def test_list_shows_only_the_callers_own_conversations(self, as_user, user):
        mine = ConversationFactory(owner=user, title="Mine")
        ConversationFactory(title="Someone else's")

        response = as_user.get(CONVERSATIONS)

        assert response.status_code == 200
        assert response.json()["count"] == 1
        assert response.json()["results"][0]["id"] == mine.pk

    def test_an_admin_too_sees_only_their_own(self):
        admin = AdminFactory()
        ConversationFactory(title="Someone else's")

        response = logged_in(admin).get(CONVERSATIONS)

        assert response.json()["count"] == 0

    def test_another_users_conversation_is_not_found(self, as_user):
        other = ConversationFactory()

        assert as_user.get(f"{CONVERSATIONS}{other.pk}/").status_code == 404
        assert as_user.get(messages_url(other)).status_code == 404
        assert as_user.delete(f"{CONVERSATIONS}{other.pk}/").status_code == 404
        assert Conversation.objects.filter(pk=other.pk).exists()

    def test_create_without_catalog(self, as_user, user):
        response = as_user.post(CONVERSATIONS, {}, content_type="application/json")

        assert response.status_code == 201
        assert response.json()["catalog"] is None
        assert response.json()["title"] == ""
        conversation = Conversation.objects.get(pk=response.json()["id"])
        assert conversation.owner == user

    def test_create_with_a_readable_catalog_and_a_title(self, as_user, catalog):
        response = as_user.post(
            CONVERSATIONS,
            {"catalog": catalog.pk, "title": "Lace"},
            content_type="application/json",
        )

        assert response.status_code == 201
        assert response.json()["catalog"] == catalog.pk
        assert response.json()["title"] == "Lace"

    def test_create_with_a_granted_catalog(self, as_user, user):
        granted = CatalogFactory()
        GrantFactory(catalog=granted, user=user)

        response = as_user.post(
            CONVERSATIONS, {"catalog": granted.pk}, content_type="application/json"
        )

        assert response.status_code == 201

    def test_create_with_an_unreadable_catalog_is_refused(self, as_user):
        unreadable = CatalogFactory()

        response = as_user.post(
            CONVERSATIONS, {"catalog": unreadable.pk}, content_type="application/json"
        )

        assert response.status_code == 400
        assert "catalog" in response.json()
        assert not Conversation.objects.exists()

    def test_create_with_a_catalog_that_is_not_an_id_is_refused(self, as_user):
        response = as_user.post(
            CONVERSATIONS, {"catalog": "first"}, content_type="application/json"
        )

        assert response.status_code == 400
        assert "catalog" in response.json()

    def test_rename(self, as_user, user):
        conversation = ConversationFactory(owner=user, title="Old")

        response = as_user.patch(
            f"{CONVERSATIONS}{conversation.pk}/",
            {"title": "New"},
            content_type="application/json",
        )

        assert response.status_code == 200
        assert response.json()["title"] == "New"
        conversation.refresh_from_db()
        assert conversation.title == "New"

    def test_a_title_too_long_is_refused(self, as_user, user):
        conversation = ConversationFactory(owner=user, title="Old")

        response = as_user.patch(
            f"{CONVERSATIONS}{conversation.pk}/",
            {"title": "x" * 201},
            content_type="application/json",
        )

        assert response.status_code == 400
        assert "title" in response.json()

    def test_delete_removes_the_conversation_and_its_messages(self, as_user, user):
        conversation = ConversationFactory(owner=user)
        MessageFactory(conversation=conversation)

        response = as_user.delete(f"{CONVERSATIONS}{conversation.pk}/")

        assert response.status_code == 204
        assert not Conversation.objects.exists()
        assert not Message.objects.exists()

    def test_unknown_ordering_is_refused(self, as_user):
        response = as_user.get(CONVERSATIONS, {"ordering": "owner__password"})

        assert response.status_code == 400
        assert "ordering" in response.json()

    def test_filter_by_catalog(self, as_user, user, catalog):
        about = ConversationFactory(owner=user, catalog=catalog)
        ConversationFactory(owner=user)

        response = as_user.get(CONVERSATIONS, {"catalog": catalog.pk})

        assert [c["id"] for c in response.json()["results"]] == [about.pk]

    def test_creation_renaming_and_deletion_are_audited(self, as_user, user):
        created = as_user.post(CONVERSATIONS, {}, content_type="application/json")
        url = f"{CONVERSATIONS}{created.json()['id']}/"
        as_user.patch(url, {"title": "Secret plans"}, content_type="application/json")
        as_user.delete(url)

        entries = ActivityLog.objects.filter(
            actor=user, action__startswith="conversation."
        )
        assert [entry.action for entry in entries] == [
            Action.CONVERSATION_CREATED,
            Action.CONVERSATION_RENAMED,
            Action.CONVERSATION_DELETED,
        ]
        assert all("Secret" not in str(entry.__dict__) for entry in entries)


class TestMessages:
    def ask(self, as_user, conversation, content):
        return as_user.post(
            messages_url(conversation),
            {"content": content},
            content_type="application/json",
        )

    def test_asking_returns_the_question_and_a_cited_answer(
        self, as_user, user, catalog
    ):
        conversation = ConversationFactory(owner=user, catalog=catalog)

        response = self.ask(as_user, conversation, "¿De qué clase era el encaje?")

        assert response.status_code == 201
        question, answer = response.json()["question"], response.json()["answer"]
        assert question["role"] == "user"
        assert question["content"] == "¿De qué clase era el encaje?"
        assert answer["role"] == "assistant"
        assert answer["status"] == "ok"
        assert "Alençón" in answer["content"]
        lace = catalog.files.get(name="lace.txt")
        assert answer["citations"] == [
            {
                "file": lace.pk,
                "file_name": "lace.txt",
                "version": 1,
                "page": None,
                "passage": "La novia vio el encaje de Alençón rasgado en la puerta.",
                "score": answer["citations"][0]["score"],
                "download_url": (
                    f"http://testserver/api/v1/files/{lace.pk}/versions/1/download/"
                ),
            }
        ]
        assert answer["citations"][0]["score"] > 0

    def test_without_catalog_every_readable_catalog_is_searched(self, as_user, user):
        granted = CatalogFactory()
        GrantFactory(catalog=granted, user=user)
        document_add(granted, "granted.txt", b"The zeppelin lands at noon.")
        document_add(CatalogFactory(), "hidden.txt", b"The zeppelin is secret.")
        conversation = ConversationFactory(owner=user)

        response = self.ask(as_user, conversation, "When does the zeppelin land?")

        citations = response.json()["answer"]["citations"]
        assert [c["file_name"] for c in citations] == ["granted.txt"]

    def test_no_match_is_said_plainly(self, as_user, user, catalog):
        conversation = ConversationFactory(owner=user, catalog=catalog)

        response = self.ask(as_user, conversation, "What about quantum chromodynamics?")

        answer = response.json()["answer"]
        assert answer["content"] == "Nothing in the documents matches this question."
        assert answer["citations"] == []

    def test_the_first_question_gives_the_title(self, as_user, user):
        conversation = ConversationFactory(owner=user)

        self.ask(as_user, conversation, "Where is the config kept?")
        self.ask(as_user, conversation, "And the logs?")

        conversation.refresh_from_db()
        assert conversation.title == "Where is the config kept?"

    def test_a_given_title_is_kept(self, as_user, user):
        conversation = ConversationFactory(owner=user, title="Mine")

        self.ask(as_user, conversation, "Where is the config kept?")

        conversation.refresh_from_db()
        assert conversation.title == "Mine"

    def test_a_long_first_question_gives_a_shortened_title(self, as_user, user):
        conversation = ConversationFactory(owner=user)

        self.ask(as_user, conversation, "word " * 100)

        conversation.refresh_from_db()
        assert len(conversation.title) <= 80
        assert conversation.title.endswith("…")

    def test_history_is_in_order_and_paginated(self, as_user, user):
        conversation = ConversationFactory(owner=user)
        sent = [MessageFactory(conversation=conversation) for _ in range(3)]

        first = as_user.get(messages_url(conversation), {"page_size": 2})
        second = as_user.get(first.json()["next"])

        assert first.status_code == 200
        assert first.json()["count"] == 3
        ids = [m["id"] for m in first.json()["results"] + second.json()["results"]]
        assert ids == [message.pk for message in sent]

    def test_history_takes_no_filter_of_the_conversation_list(
        self, as_user, user, catalog
    ):
        conversation = ConversationFactory(owner=user, catalog=catalog)
        sent = [MessageFactory(conversation=conversation) for _ in range(2)]

        response = as_user.get(
            messages_url(conversation),
            {"catalog": CatalogFactory(owner=user).pk, "ordering": "-created_at"},
        )

        assert response.status_code == 200
        assert [m["id"] for m in response.json()["results"]] == [
            message.pk for message in sent
        ]

    def test_the_schema_offers_only_pages_for_the_history(self, as_user):
        schema = as_user.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

        history = schema["paths"]["/api/v1/conversations/{id}/messages/"]["get"]
        assert {p["name"] for p in history["parameters"]} == {
            "id",
            "page",
            "page_size",
        }

    @pytest.mark.parametrize("content", ["", "   ", None])
    def test_empty_content_is_refused(self, as_user, user, content):
        conversation = ConversationFactory(owner=user)

        response = self.ask(as_user, conversation, content)

        assert response.status_code == 400
        assert "content" in response.json()
        assert not Message.objects.exists()

    def test_missing_content_is_refused(self, as_user, user):
        conversation = ConversationFactory(owner=user)

        response = as_user.post(
            messages_url(conversation), {}, content_type="application/json"
        )

        assert response.status_code == 400
        assert response.json()["content"] == ["This field is required."]

    def test_over_long_content_is_refused(self, as_user, user, settings):
        settings.CHAT_MESSAGE_MAX_CHARS = 50
        conversation = ConversationFactory(owner=user)

        response = self.ask(as_user, conversation, "x" * 51)

        assert response.status_code == 400
        assert response.json()["content"] == [
            "Ask in at most 50 characters (this question has 51)."
        ]
        assert not Message.objects.exists()

    def test_content_at_the_limit_is_accepted(self, as_user, user, settings):
        settings.CHAT_MESSAGE_MAX_CHARS = 50
        conversation = ConversationFactory(owner=user)

        response = self.ask(as_user, conversation, "x" * 50)

        assert response.status_code == 201

    def test_a_catalog_the_user_lost_access_to_is_unreadable(self, as_user, user):
        shared = CatalogFactory()
        grant = GrantFactory(catalog=shared, user=user)
        document_add(shared, "shared.txt", b"The zeppelin lands at noon.")
        conversation = ConversationFactory(owner=user, catalog=shared)
        grant.delete()

        response = self.ask(as_user, conversation, "When does the zeppelin land?")

        assert response.status_code == 403
        assert response.json()["code"] == "catalog_unreadable"
        assert "zeppelin" not in response.content.decode()
        assert not Message.objects.exists()

    def test_asking_is_audited_with_the_length_not_the_text(self, as_user, user):
        conversation = ConversationFactory(owner=user)

        self.ask(as_user, conversation, "Where is the secret config kept?")

        entry = ActivityLog.objects.get(action=Action.MESSAGE_SENT)
        assert entry.actor == user
        assert entry.target_id == str(conversation.pk)
        assert entry.details["length"] == len("Where is the secret config kept?")
        assert "secret" not in str(entry.__dict__)

    def test_deleting_the_catalog_deletes_its_conversations(self, user, catalog):
        conversation = ConversationFactory(owner=user, catalog=catalog)

        catalog.delete()

        assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_admin_site_lists_every_conversation_read_only():
    admin = AdminFactory()
    conversation = ConversationFactory(title="Someone else's")
    MessageFactory(conversation=conversation, content="Hello?")
    client = logged_in(admin)

    listing = client.get("/admin/chat/conversation/")
    detail = client.get(f"/admin/chat/conversation/{conversation.pk}/change/")
    add = client.get("/admin/chat/conversation/add/")
    delete = client.post(
        f"/admin/chat/conversation/{conversation.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "Someone else" in listing.content.decode()
    assert detail.status_code == 200
    assert "Hello?" in detail.content.decode()
    assert add.status_code == 403
    assert delete.status_code == 403
    assert Conversation.objects.filter(pk=conversation.pk).exists()


class TestUploadToAnswer:
    """From an upload through the catalogs API to a cited, downloadable answer."""

    def upload(self, as_user, catalog, name, content, capture):
        with capture(execute=True):
            response = as_user.post(
                f"/api/v1/catalogs/{catalog.pk}/files/",
                {"file": SimpleUploadedFile(name, content)},
            )
        assert response.status_code == 201, response.content
        return response.json()

    def test_uploaded_document_is_extracted_and_cited_with_its_download(
        self, as_user, user, django_capture_on_commit_callbacks
    ):
        catalog = CatalogFactory(owner=user)
        content = "El encaje de Alençón se rasgó en la puerta.".encode()
        uploaded = self.upload(
            as_user, catalog, "encaje.txt", content, django_capture_on_commit_callbacks
        )
        conversation = ConversationFactory(owner=user, catalog=catalog)

        described = as_user.get(f"/api/v1/files/{uploaded['id']}/").json()
        asked = as_user.post(
            messages_url(conversation),
            {"content": "¿De qué encaje se habla?"},
            content_type="application/json",
        )
        citation = asked.json()["answer"]["citations"][0]
        download = as_user.get(citation["download_url"])

        assert described["current_version"]["extraction_status"] == "done"
        assert described["current_version"]["extraction_error"] == ""
        assert citation["file"] == uploaded["id"]
        assert citation["download_url"].endswith(
            f"/api/v1/files/{uploaded['id']}/versions/1/download/"
        )
        assert b"".join(download.streaming_content) == content

    def test_an_unreadable_upload_is_kept_and_says_why(
        self, as_user, user, django_capture_on_commit_callbacks
    ):
        catalog = CatalogFactory(owner=user)
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

        uploaded = self.upload(
            as_user, catalog, "scan.pdf", png, django_capture_on_commit_callbacks
        )

        version = as_user.get(f"/api/v1/files/{uploaded['id']}/").json()[
            "current_version"
        ]
        assert version["extraction_status"] == "failed"
        assert version["extraction_error"] == (
            "The file is named .pdf but its content is a PNG image."
        )
        assert version["size"] == len(png)
