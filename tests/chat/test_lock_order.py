"""
Conversations and questions meeting changes to their catalog, forced into
the orders in which they once deadlocked or failed (see
`tests.concurrency.in_turn`): each request either lands or gets a clear
4xx, and the activity log stays whole.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import transaction

from accounts.models import Role
from catalogs.models import Access, Catalog, ExtractionStatus, File, Version
from chat.assistants import bedrock_client
from chat.models import Conversation, Message, Passage
from chat.services import version_extract
from tests.audit.helpers import verify
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.chat.factories import ConversationFactory, document_add
from tests.concurrency import (
    LONGEST_WAIT,
    chain_held,
    in_turn,
    on_own_connection,
    sent_as,
    wait_until_stopped,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ANSWER = {
    "output": {"message": {"role": "assistant", "content": [{"text": "Lace."}]}},
    "stopReason": "end_turn",
    "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
    "metrics": {"latencyMs": 100},
}


@pytest.fixture(autouse=True)
def log_stays_whole():
    yield
    verify()


@pytest.fixture
def slow_bedrock(settings, monkeypatch):
    """
    A Bedrock on loopback that answers once told to: `asked` is set when a
    question reaches it, and it answers every question once `answer` is.
    """
    asked, answer = threading.Event(), threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            asked.set()
            answer.wait(LONGEST_WAIT)
            body = json.dumps(ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CHAT_BACKEND = "bedrock"
    settings.BEDROCK_MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"
    settings.BEDROCK_REGION = "us-east-1"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", f"http://127.0.0.1:{server.server_port}"
    )
    bedrock_client.cache_clear()
    yield SimpleNamespace(asked=asked, answer=answer)
    answer.set()
    server.shutdown()
    server.server_close()
    bedrock_client.cache_clear()


@pytest.fixture
def catalog():
    catalog = CatalogFactory(owner__role=Role.EDITOR)
    document_add(catalog, "lace.txt", b"The bride saw the torn lace at the door.")
    return catalog


@pytest.fixture
def reader(catalog):
    return GrantFactory(catalog=catalog, access=Access.READ).user


def deleted_meanwhile(response, what):
    return response.status_code == 404 and response.json() == {
        "detail": f"This {what} was deleted meanwhile.",
        "code": "not_found",
    }


def start_conversation(catalog):
    body = {"catalog": catalog.pk}
    return lambda client: client.post("/api/v1/conversations/", body, format="json")


def ask(conversation):
    path = f"/api/v1/conversations/{conversation.pk}/messages/"
    body = {"content": "What did the bride see?"}
    return lambda client: client.post(path, body, format="json")


def rename_catalog(catalog):
    path = f"/api/v1/catalogs/{catalog.pk}/"
    return lambda client: client.patch(path, {"name": "Renamed"}, format="json")


def delete_catalog(catalog):
    path = f"/api/v1/catalogs/{catalog.pk}/?force=true"
    return lambda client: client.delete(path)


def test_renaming_a_catalog_while_a_conversation_starts_in_it(catalog, reader):
    responses = in_turn(
        (reader, start_conversation(catalog)),
        (catalog.owner, rename_catalog(catalog)),
    )

    assert [response.status_code for response in responses] == [201, 200]
    assert Conversation.objects.get().catalog == catalog


def test_starting_a_conversation_in_a_catalog_being_deleted_is_refused(catalog, reader):
    responses = in_turn(
        (catalog.owner, delete_catalog(catalog)),
        (reader, start_conversation(catalog)),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "catalog")
    assert not Conversation.objects.exists()


def test_asking_in_a_catalog_being_deleted_is_refused(catalog, reader):
    conversation = ConversationFactory(owner=reader, catalog=catalog)

    responses = in_turn(
        (catalog.owner, delete_catalog(catalog)),
        (reader, ask(conversation)),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "conversation")
    assert not Message.objects.exists()


def test_asking_in_a_conversation_being_deleted_is_refused(catalog, reader):
    conversation = ConversationFactory(owner=reader, catalog=catalog)
    path = f"/api/v1/conversations/{conversation.pk}/"

    responses = in_turn(
        (reader, lambda client: client.delete(path)),
        (reader, ask(conversation)),
    )

    assert responses[0].status_code == 204
    assert deleted_meanwhile(responses[1], "conversation")
    assert not Message.objects.exists()


def test_an_answer_to_a_conversation_deleted_meanwhile_is_refused(
    slow_bedrock, catalog, reader
):
    conversation = ConversationFactory(owner=reader, catalog=catalog)

    with ThreadPoolExecutor(1) as pool:
        asked = pool.submit(sent_as, reader, ask(conversation))
        assert slow_bedrock.asked.wait(LONGEST_WAIT)
        deleted = sent_as(catalog.owner, delete_catalog(catalog))
        slow_bedrock.answer.set()

    assert deleted.status_code == 204
    assert deleted_meanwhile(asked.result(), "conversation")
    assert not Message.objects.exists()


def test_an_answer_written_while_its_catalog_is_deleted_is_kept_or_refused(
    slow_bedrock, catalog, reader
):
    """
    The catalog's deletion is held after it has started, while the answer
    is written: the answer goes with the catalog, or is refused.
    """
    conversation = ConversationFactory(owner=reader, catalog=catalog)
    version = Version.objects.get(file__catalog=catalog)

    with ThreadPoolExecutor(2) as pool:
        asked = pool.submit(sent_as, reader, ask(conversation))
        assert slow_bedrock.asked.wait(LONGEST_WAIT)
        with transaction.atomic():
            Version.objects.select_for_update(of=("self",)).get(pk=version.pk)
            deleted = pool.submit(sent_as, catalog.owner, delete_catalog(catalog))
            wait_until_stopped([deleted])
            slow_bedrock.answer.set()
            wait_until_stopped([asked, deleted])

    assert deleted.result().status_code == 204
    answered = asked.result()
    assert answered.status_code == 201 or deleted_meanwhile(answered, "conversation")
    assert not Catalog.objects.exists()
    assert not Message.objects.exists()


def test_extracting_one_version_twice_at_once_stores_its_passages_once(catalog):
    version = Version.objects.get(file__catalog=catalog)

    def extract():
        return version_extract(version=Version.objects.get(pk=version.pk))

    with ThreadPoolExecutor(2) as pool, chain_held():
        first = pool.submit(on_own_connection, extract)
        wait_until_stopped([first])
        second = pool.submit(on_own_connection, extract)
        wait_until_stopped([first, second])

    assert first.result().extraction_status == ExtractionStatus.DONE
    assert second.result().extraction_status == ExtractionStatus.DONE
    assert list(Passage.objects.values_list("version", "position")) == [(version.pk, 0)]


def test_extracting_text_while_its_catalog_is_deleted(catalog):
    """
    The deletion is held between locking the catalog's two files, while the
    text of the first file's version is extracted.
    """
    version = Version.objects.get(file__catalog=catalog)
    held = document_add(catalog, "later.txt", b"A later file.").file

    def extract():
        return version_extract(version=Version.objects.get(pk=version.pk))

    with ThreadPoolExecutor(2) as pool, transaction.atomic():
        File.objects.select_for_update().get(pk=held.pk)
        deleted = pool.submit(sent_as, catalog.owner, delete_catalog(catalog))
        wait_until_stopped([deleted])
        extracted = pool.submit(on_own_connection, extract)
        wait_until_stopped([deleted, extracted])

    assert deleted.result().status_code == 204
    assert extracted.result().extraction_status == ExtractionStatus.DONE
    assert not Version.objects.exists()
    assert not Passage.objects.exists()
