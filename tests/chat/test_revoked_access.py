"""
Access taken away in the middle of a conversation: later answers cite
nothing from that catalog, nor from files trashed meanwhile.
"""

import pytest
from django.test import Client

from catalogs.services import file_trash
from chat.selectors import WITHHELD_ANSWER
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.chat.factories import ConversationFactory, document_add

pytestmark = pytest.mark.django_db

QUESTION = "Where does the zeppelin land?"


def ask(user, conversation):
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"content": QUESTION},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["answer"]


def messages(user, conversation):
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/v1/conversations/{conversation.pk}/messages/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_revoked_catalog_is_no_longer_cited_in_an_open_conversation():
    user = UserFactory()
    shared = CatalogFactory()
    grant = GrantFactory(catalog=shared, user=user)
    document_add(shared, "secret.txt", b"The zeppelin lands on the north roof.")
    conversation = ConversationFactory(owner=user)
    before = ask(user, conversation)

    grant.delete()
    after = ask(user, conversation)

    assert [c["file_name"] for c in before["citations"]] == ["secret.txt"]
    assert after["citations"] == []
    assert "north roof" not in after["content"]


def test_earlier_answers_from_a_revoked_catalog_are_withheld_from_the_history():
    user = UserFactory()
    shared = CatalogFactory()
    grant = GrantFactory(catalog=shared, user=user)
    document_add(shared, "secret.txt", b"The zeppelin lands on the north roof.")
    own = CatalogFactory(owner=user)
    document_add(own, "notes.txt", b"The zeppelin is blue.")
    conversation = ConversationFactory(owner=user)
    ask(user, conversation)

    grant.delete()
    history = messages(user, conversation)

    question, answer = history
    assert question["content"] == QUESTION
    assert answer["content"] == WITHHELD_ANSWER
    assert answer["citations"] == []
    assert "north roof" not in str(history)


def test_answers_from_catalogs_still_readable_stay_in_the_history():
    user = UserFactory()
    own = CatalogFactory(owner=user)
    document_add(own, "notes.txt", b"The zeppelin lands in the blue hangar.")
    conversation = ConversationFactory(owner=user)
    ask(user, conversation)

    _, answer = messages(user, conversation)

    assert "blue hangar" in answer["content"]
    assert [c["file_name"] for c in answer["citations"]] == ["notes.txt"]


def test_a_trashed_file_is_no_longer_cited():
    user = UserFactory()
    catalog = CatalogFactory(owner__role="editor")
    GrantFactory(catalog=catalog, user=user)
    version = document_add(catalog, "plan.txt", b"The zeppelin lands at the pier.")
    conversation = ConversationFactory(owner=user, catalog=catalog)

    file_trash(file=version.file, actor=catalog.owner)
    answer = ask(user, conversation)

    assert answer["citations"] == []
    assert "pier" not in answer["content"]
