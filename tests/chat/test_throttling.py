"""Questions are limited per user, in the database or in Redis."""

import logging

import pytest

from audit.actions import Action
from audit.models import ActivityLog
from chat.models import Message
from tests.accounts.factories import UserFactory
from tests.chat.factories import ConversationFactory


@pytest.fixture(autouse=True)
def two_questions_a_minute(throttle_rates):
    throttle_rates(chat="2/minute")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def conversation(user):
    return ConversationFactory(owner=user)


def ask(client, conversation, content):
    return client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"content": content},
        format="json",
    )


def test_questions_past_the_rate_are_refused_and_not_kept(
    api, user, conversation, throttle_store
):
    client = api(user)
    answered = [ask(client, conversation, q).status_code for q in ("One?", "Two?")]

    refused = ask(client, conversation, "Three?")

    assert answered == [201, 201]
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    assert refused.json() == {
        "detail": f"Too many requests. Try again in {wait} "
        f"second{'s' if wait != 1 else ''}.",
        "code": "throttled",
    }
    questions = Message.objects.filter(role=Message.Role.USER)
    assert [message.content for message in questions] == ["One?", "Two?"]
    assert Message.objects.filter(role=Message.Role.ASSISTANT).count() == 2
    assert ActivityLog.objects.filter(action=Action.MESSAGE_SENT).count() == 2


def test_another_user_may_still_ask(api, user, conversation, throttle_store):
    client = api(user)
    ask(client, conversation, "One?")
    ask(client, conversation, "Two?")
    other = UserFactory()

    response = ask(api(other), ConversationFactory(owner=other), "Mine?")

    assert response.status_code == 201


def test_the_limit_is_the_users_across_conversations(api, user, conversation):
    client = api(user)
    ask(client, conversation, "One?")
    ask(client, conversation, "Two?")

    response = ask(client, ConversationFactory(owner=user), "Elsewhere?")

    assert response.status_code == 429


def test_the_history_can_still_be_read(api, user, conversation):
    client = api(user)
    for question in ("One?", "Two?", "Three?"):
        ask(client, conversation, question)

    response = client.get(f"/api/v1/conversations/{conversation.pk}/messages/")

    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_a_throttled_question_is_logged_once_with_user_and_scope(
    api, user, conversation, caplog
):
    client = api(user)
    ask(client, conversation, "One?")
    ask(client, conversation, "Two?")

    with caplog.at_level(logging.WARNING, logger="accounts.throttling"):
        ask(client, conversation, "What is the zeppelin budget?")

    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "accounts.throttling"
    ] == [f"Throttled a chat request of user {user.pk}"]
    assert "zeppelin" not in caplog.text


def test_with_redis_the_counts_are_in_redis(
    api, user, conversation, redis_throttle_cache
):
    ask(api(user), conversation, "One?")

    assert redis_throttle_cache() == [f"throttle_chat_{user.pk}"]
