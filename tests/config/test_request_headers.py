"""
Headers a client controls: the CSRF token of a session, the forwarded
address and the request id. None of them can be used to act for a browser
or to write into the activity log or the logs.
"""

import logging
import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from knox.models import AuthToken

from audit.models import ActivityLog
from catalogs.services import file_upload
from chat.models import Conversation
from tests.accounts.factories import TEST_PASSWORD, AdminFactory, DomainFactory
from tests.catalogs.factories import CatalogFactory

pytestmark = pytest.mark.django_db

# Unsafe requests on each app; `{…}` are the ids of `owned`.
UNSAFE = [
    ("post", "/api/v1/catalogs/", {"name": "New"}),
    ("patch", "/api/v1/catalogs/{catalog}/", {"name": "Renamed"}),
    ("delete", "/api/v1/files/{file}/", None),
    ("post", "/api/v1/catalogs/{catalog}/permissions/", {"email": "x@example.org"}),
    ("post", "/api/v1/conversations/", {}),
    ("post", "/api/v1/conversations/{conversation}/messages/", {"content": "Hi?"}),
    ("delete", "/api/v1/conversations/{conversation}/", None),
    ("patch", "/api/v1/auth/me/", {"first_name": "Ada"}),
    ("post", "/api/v1/auth/password/", {"old_password": TEST_PASSWORD}),
    ("post", "/api/v1/domains/", {"name": "example.net"}),
    ("patch", "/api/v1/domains/{domain}/", {"is_active": False}),
]


@pytest.fixture
def owned():
    """An admin, and ids of things the admin may change."""
    admin = AdminFactory(email="root@example.org")
    catalog = CatalogFactory(owner=admin)
    file = file_upload(
        catalog=catalog, uploader=admin, content=ContentFile(b"x", name="notes.txt")
    )
    ids = {
        "catalog": catalog.pk,
        "file": file.pk,
        "conversation": Conversation.objects.create(owner=admin).pk,
        "domain": DomainFactory(name="example.com").pk,
    }
    return admin, ids


def send(client, method, path, body, **headers):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(
        path, body, content_type="application/json", **headers
    )


def browser_of(user):
    """A browser with a session of `user` and the CSRF cookie, as after login."""
    browser = Client(enforce_csrf_checks=True)
    browser.raise_request_exception = False
    browser.force_login(user)
    browser.get("/api/v1/auth/login/")
    return browser


@pytest.mark.parametrize(("method", "path", "body"), UNSAFE)
def test_a_session_request_without_the_csrf_token_is_refused(owned, method, path, body):
    admin, ids = owned
    browser = browser_of(admin)
    before = ActivityLog.objects.count()

    response = send(browser, method, path.format(**ids), body)

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF token missing."}
    assert ActivityLog.objects.count() == before


@pytest.mark.parametrize(("method", "path", "body"), UNSAFE)
def test_a_session_request_with_the_csrf_token_gets_through(owned, method, path, body):
    admin, ids = owned
    browser = browser_of(admin)
    token = browser.cookies["csrftoken"].value

    response = send(browser, method, path.format(**ids), body, HTTP_X_CSRFTOKEN=token)

    assert response.status_code != 403, response.content


@pytest.mark.parametrize(("method", "path", "body"), UNSAFE)
def test_a_token_request_never_needs_the_csrf_token(owned, method, path, body):
    admin, ids = owned
    browser = browser_of(admin)
    _, secret = AuthToken.objects.create(user=admin)

    response = send(
        browser, method, path.format(**ids), body, HTTP_AUTHORIZATION=f"Token {secret}"
    )

    assert response.status_code != 403, response.content


def rename(client, catalog_id, name, **headers):
    return client.patch(
        f"/api/v1/catalogs/{catalog_id}/",
        {"name": name},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.7",
        **headers,
    )


def test_a_forwarded_address_is_not_recorded_without_trusted_proxies(owned, client):
    admin, ids = owned
    client.force_login(admin)

    rename(client, ids["catalog"], "Spoofed", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert ActivityLog.objects.latest("sequence").ip_address == "198.51.100.7"


def test_behind_one_proxy_only_the_address_it_saw_is_recorded(owned, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    admin, ids = owned
    client.force_login(admin)

    rename(
        client,
        ids["catalog"],
        "Forwarded",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 7.7.7.7, 203.0.113.9",
    )

    assert ActivityLog.objects.latest("sequence").ip_address == "203.0.113.9"


def test_a_forwarded_value_that_is_no_address_is_not_recorded(owned, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    admin, ids = owned
    client.force_login(admin)

    rename(client, ids["catalog"], "Odd", HTTP_X_FORWARDED_FOR="'; DROP TABLE x; --")

    assert ActivityLog.objects.latest("sequence").ip_address is None


@pytest.mark.parametrize(
    "request_id",
    ["abc\r\nX-Injected: yes", "abc\nINFO fake log line", "a b", "é", "x" * 129],
)
def test_an_injected_request_id_reaches_neither_the_log_nor_the_activity(
    owned, client, caplog, request_id
):
    admin, ids = owned
    client.force_login(admin)

    with caplog.at_level(logging.INFO):
        response = rename(
            client, ids["catalog"], "Traced", HTTP_X_REQUEST_ID=request_id
        )
        client.get("/api/v1/no-such-page/", HTTP_X_REQUEST_ID=request_id)

    assigned = response["X-Request-ID"]
    assert uuid.UUID(hex=assigned)
    assert ActivityLog.objects.latest("sequence").request_id == assigned
    stamped = {record.request_id for record in caplog.records}
    assert request_id not in stamped
    assert "Injected" not in response.serialize_headers().decode()
