"""A database that cannot be reached answers 503 with JSON, never a 500."""

import logging

import pytest

pytestmark = pytest.mark.postgres


def test_an_api_request_gets_a_503_that_says_the_database_is_down(
    client, unreachable_database, caplog
):
    with caplog.at_level(logging.WARNING, logger="config.middleware"):
        response = client.get(
            "/api/v1/catalogs/", HTTP_AUTHORIZATION="Token " + "a" * 64
        )

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert body["detail"] == (
        "The database is unavailable right now. Try again in a moment."
    )
    assert body["request_id"] == response["X-Request-ID"]
    assert "Database unavailable on GET /api/v1/catalogs/" in caplog.text
