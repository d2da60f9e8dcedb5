"""
What the logs say about a busy session: ids and events, never an e-mail
address, a password, a token, a question or the contents of a file.
"""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.accounts.factories import TEST_PASSWORD, AdminFactory, DomainFactory
from tests.catalogs.factories import CatalogFactory

NEWCOMER = "newcomer-7f3a@example.org"
NEW_PASSWORD = "Tangerine-Kettle-41"
WRONG_PASSWORD = "Wrong-Walrus-93"
FILE_CONTENT = b"Quarterly figures: the zeppelin budget is 4 million."
QUESTION = "What is the zeppelin budget this quarter?"


def expect(status, response):
    """`response`, once it is known to have the status the step should get."""
    assert response.status_code == status, response.content
    return response


def log_text(records):
    """Everything a log handler could write for `records`, arguments included."""
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''} "
        f"{getattr(record, 'request_id', '')}"
        for record in records
    )


@pytest.mark.django_db
def test_a_busy_session_logs_no_personal_data_or_secrets(
    caplog, django_capture_on_commit_callbacks
):
    admin = AdminFactory(email="root-c41e@example.org")
    DomainFactory(name="example.org")
    catalog = CatalogFactory(owner=admin)
    client = APIClient()
    client.raise_request_exception = False

    with caplog.at_level(logging.DEBUG):
        expect(
            201,
            client.post(
                "/api/v1/auth/register/",
                {"email": NEWCOMER, "password": NEW_PASSWORD},
                format="json",
            ),
        )
        expect(
            400,
            client.post(
                "/api/v1/auth/token/",
                {"email": NEWCOMER, "password": WRONG_PASSWORD},
                format="json",
            ),
        )
        token = expect(
            201,
            client.post(
                "/api/v1/auth/token/",
                {"email": admin.email, "password": TEST_PASSWORD},
                format="json",
            ),
        ).json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        with django_capture_on_commit_callbacks(execute=True):
            expect(
                201,
                client.post(
                    f"/api/v1/catalogs/{catalog.pk}/files/",
                    {"file": SimpleUploadedFile("figures.txt", FILE_CONTENT)},
                    format="multipart",
                ),
            )
        conversation = expect(
            201, client.post("/api/v1/conversations/", {}, format="json")
        )
        expect(
            201,
            client.post(
                f"/api/v1/conversations/{conversation.json()['id']}/messages/",
                {"content": QUESTION},
                format="json",
            ),
        )
        expect(
            201,
            client.post(
                f"/api/v1/catalogs/{catalog.pk}/permissions/",
                {"email": NEWCOMER, "access": "read"},
                format="json",
            ),
        )
        expect(
            400,
            client.post(
                f"/api/v1/catalogs/{catalog.pk}/permissions/",
                {"email": "nobody-9d2b@example.org", "access": "read"},
                format="json",
            ),
        )
        expect(
            201,
            client.post(
                "/api/v1/users/",
                {"email": "made-5e1c@example.org", "password": NEW_PASSWORD},
                format="json",
            ),
        )
        expect(
            400,
            client.post(
                "/api/v1/auth/password/",
                {"old_password": WRONG_PASSWORD, "new_password": NEW_PASSWORD},
                format="json",
            ),
        )
        expect(
            204,
            client.post(
                "/api/v1/auth/password/",
                {"old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
                format="json",
            ),
        )
        expect(204, client.delete("/api/v1/auth/token/"))

    logged = log_text(caplog.records)
    assert "Token created for user" in logged
    assert "Version 1 of file" in logged
    assert "Text extraction of version" in logged
    leaks = [
        secret
        for secret in [
            NEWCOMER,
            admin.email,
            "nobody-9d2b",
            "made-5e1c",
            NEW_PASSWORD,
            WRONG_PASSWORD,
            TEST_PASSWORD,
            token,
            token[:8],
            "zeppelin",
            QUESTION,
        ]
        if secret in logged
    ]
    assert leaks == []
