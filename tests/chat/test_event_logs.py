"""
Starting, renaming and deleting a conversation, and asking in it, each log
one line naming who and which conversation by id, never a title or a
question.
"""

import logging

import pytest
from django.test import Client

from chat.models import Conversation, Message
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory
from tests.chat.factories import ConversationFactory, document_add

pytestmark = pytest.mark.django_db

QUESTION = "Where is the zeppelin budget kept?"


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def events(caplog):
    """The lines chat.services logs, as they would be written."""
    caplog.set_level(logging.INFO, logger="chat.services")
    return lambda: [
        record.getMessage()
        for record in caplog.records
        if record.name == "chat.services"
        and not record.getMessage().startswith("Text extraction")
    ]


def test_starting_a_conversation_is_logged(client, user, events):
    catalog = CatalogFactory(owner=user)

    about = client.post("/api/v1/conversations/", {"catalog": catalog.pk}).json()
    anywhere = client.post("/api/v1/conversations/", {"title": QUESTION}).json()

    assert events() == [
        f"Conversation {about['id']} started by user {user.pk} on catalog {catalog.pk}",
        f"Conversation {anywhere['id']} started by user {user.pk} "
        "on every readable catalog",
    ]


def test_renaming_and_deleting_a_conversation_are_logged(client, user, events):
    conversation = ConversationFactory(owner=user)
    Message.objects.create(conversation=conversation, role="user", content=QUESTION)
    url = f"/api/v1/conversations/{conversation.pk}/"

    client.patch(url, {"title": QUESTION}, content_type="application/json")
    client.delete(url)

    assert not Conversation.objects.exists()
    assert events() == [
        f"Conversation {conversation.pk} renamed by user {user.pk}",
        f"Conversation {conversation.pk} deleted by user {user.pk} with 1 message(s)",
    ]


def test_an_answered_question_is_logged_without_its_text(client, user, events):
    catalog = CatalogFactory(owner=user)
    document_add(catalog, "budget.md", b"The zeppelin budget is kept in a vault.")
    conversation = ConversationFactory(owner=user, catalog=catalog)

    response = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"content": QUESTION},
        content_type="application/json",
    )

    question = response.json()["question"]["id"]
    assert events() == [
        f"Question {question} of user {user.pk} in conversation {conversation.pk} "
        "answered with 1 citation(s)"
    ]
