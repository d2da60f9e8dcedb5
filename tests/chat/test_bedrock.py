"""
The Bedrock assistant, with botocore's Stubber in place of Amazon Bedrock,
and a silent server on loopback for a real timeout.
"""

import logging
import socket

import pytest
from botocore.stub import Stubber
from django.test import Client

from chat.assistants import NOTHING_FOUND, SYSTEM_PROMPT, TOO_SLOW, bedrock_client
from chat.checks import chat_backend_check
from chat.models import Message
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.chat.factories import ConversationFactory, MessageFactory, document_add

pytestmark = pytest.mark.django_db

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
PASSAGE = "Apps keep config in environment variables."


@pytest.fixture
def aws(settings, monkeypatch):
    settings.CHAT_BACKEND = "bedrock"
    settings.BEDROCK_MODEL_ID = MODEL
    settings.BEDROCK_REGION = "us-east-1"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bedrock_client.cache_clear()
    yield
    bedrock_client.cache_clear()


@pytest.fixture
def bedrock(aws):
    with Stubber(bedrock_client()) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def conversation(user):
    catalog = CatalogFactory(owner=user)
    document_add(catalog, "config.md", PASSAGE.encode())
    return ConversationFactory(owner=user, catalog=catalog)


def ask(user, conversation, content):
    client = Client()
    client.force_login(user)
    return client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"content": content},
        content_type="application/json",
    )


def converse_response(text):
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 100},
    }


def question_text(conversation, question):
    file = conversation.catalog.files.get()
    return f"Passages:\n\n[1] {file.name}, version 1\n{PASSAGE}\n\nQuestion: {question}"


def expect_converse(bedrock, answer, *, messages, max_tokens=800):
    """Answer the next Converse call with `answer`, if it sends `messages`."""
    bedrock.add_response(
        "converse",
        converse_response(answer),
        expected_params={
            "modelId": MODEL,
            "system": [{"text": SYSTEM_PROMPT}],
            "messages": messages,
            "inferenceConfig": {"maxTokens": max_tokens},
        },
    )


def turn(role, text):
    return {"role": role, "content": [{"text": text}]}


def test_answer_comes_from_the_model_with_the_same_citations(
    bedrock, user, conversation, settings
):
    settings.BEDROCK_MAX_TOKENS = 300
    question = "Where is config kept?"
    expect_converse(
        bedrock,
        "In environment variables [1].",
        messages=[turn("user", question_text(conversation, question))],
        max_tokens=300,
    )

    response = ask(user, conversation, question)

    assert response.status_code == 201
    answer = response.json()["answer"]
    assert answer["content"] == "In environment variables [1]."
    assert answer["status"] == "ok"
    assert [c["passage"] for c in answer["citations"]] == [PASSAGE]


def test_recent_answered_turns_go_along_as_context(bedrock, user, conversation):
    MessageFactory(conversation=conversation, content="Lost question?")
    MessageFactory(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        status=Message.Status.FAILED,
        content="The assistant could not answer.",
    )
    MessageFactory(conversation=conversation, content="Earlier question?")
    MessageFactory(
        conversation=conversation, role=Message.Role.ASSISTANT, content="Earlier."
    )
    question = "And where is config kept?"
    expect_converse(
        bedrock,
        "In the environment [1].",
        messages=[
            turn("user", "Earlier question?"),
            turn("assistant", "Earlier."),
            turn("user", question_text(conversation, question)),
        ],
    )

    response = ask(user, conversation, question)

    assert response.status_code == 201


def test_answers_quoting_a_catalog_no_longer_readable_stay_out_of_context(
    bedrock, user, conversation
):
    secret = CatalogFactory()
    grant = GrantFactory(catalog=secret, user=user, access="read")
    version = document_add(secret, "budget.txt", b"The budget is 42 million.")
    MessageFactory(conversation=conversation, content="What is the budget?")
    MessageFactory(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        content="The budget is 42 million.",
        citations=[{"file": version.file_id, "passage": "The budget is 42 million."}],
    )
    grant.delete()
    question = "And where is config kept?"
    expect_converse(
        bedrock,
        "In the environment [1].",
        messages=[turn("user", question_text(conversation, question))],
    )

    response = ask(user, conversation, question)

    assert response.status_code == 201


def test_no_matching_passage_is_said_without_asking_the_model(
    bedrock, user, conversation
):
    response = ask(user, conversation, "What about quantum chromodynamics?")

    assert response.status_code == 201
    assert response.json()["answer"]["content"] == NOTHING_FOUND


@pytest.mark.parametrize(
    ("error_code", "http_status", "status_code", "code"),
    [
        ("ThrottlingException", 429, 502, "assistant_unavailable"),
        ("AccessDeniedException", 403, 502, "assistant_unavailable"),
        ("ModelTimeoutException", 408, 504, "assistant_timeout"),
    ],
)
def test_a_bedrock_error_keeps_the_question_and_stores_a_failed_answer(
    bedrock, user, conversation, error_code, http_status, status_code, code
):
    bedrock.add_client_error(
        "converse", service_error_code=error_code, http_status_code=http_status
    )

    response = ask(user, conversation, "Where is config kept?")

    assert response.status_code == status_code
    assert response.json()["code"] == code
    assert "Your question is saved" in response.json()["detail"]
    question, answer = conversation.messages.order_by("id")
    assert (question.role, question.status) == ("user", "ok")
    assert question.content == "Where is config kept?"
    assert (answer.role, answer.status) == ("assistant", "failed")
    assert answer.citations == []


def test_a_question_the_assistant_failed_is_logged_by_ids(
    bedrock, user, conversation, caplog
):
    bedrock.add_client_error(
        "converse", service_error_code="ThrottlingException", http_status_code=429
    )

    with caplog.at_level(logging.INFO, logger="chat.services"):
        ask(user, conversation, "Where is config kept?")

    question = conversation.messages.get(role="user")
    [line] = [
        record.getMessage()
        for record in caplog.records
        if record.name == "chat.services" and record.levelno == logging.WARNING
    ]
    assert line == (
        f"Question {question.pk} of user {user.pk} in conversation "
        f"{conversation.pk} not answered: assistant_unavailable"
    )


def test_an_empty_model_answer_is_a_failure(bedrock, user, conversation):
    bedrock.add_response("converse", converse_response("  "))

    response = ask(user, conversation, "Where is config kept?")

    assert response.status_code == 502
    assert conversation.messages.filter(status=Message.Status.FAILED).count() == 1


@pytest.fixture
def silent_endpoint(monkeypatch):
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        endpoint = f"http://127.0.0.1:{server.getsockname()[1]}"
        monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", endpoint)
        yield endpoint


def test_a_bedrock_timeout_is_a_504_and_keeps_the_question(
    aws, silent_endpoint, settings, user, conversation
):
    settings.BEDROCK_TIMEOUT_SECONDS = 1

    response = ask(user, conversation, "Where is config kept?")

    assert response.status_code == 504
    assert response.json() == {"detail": TOO_SLOW, "code": "assistant_timeout"}
    statuses = list(conversation.messages.values_list("role", "status"))
    assert statuses == [("user", "ok"), ("assistant", "failed")]


def test_system_check_refuses_an_unknown_backend(settings):
    settings.CHAT_BACKEND = "oracle"

    assert [error.id for error in chat_backend_check(None)] == ["chat.E001"]


def test_system_check_refuses_bedrock_without_a_model(settings):
    settings.CHAT_BACKEND = "bedrock"
    settings.BEDROCK_MODEL_ID = ""

    assert [error.id for error in chat_backend_check(None)] == ["chat.E002"]


def test_system_check_accepts_the_defaults(settings):
    settings.CHAT_BACKEND = "extractive"

    assert chat_backend_check(None) == []
