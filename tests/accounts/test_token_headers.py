"""Token headers that are not even text are refused like any unknown token."""

import pytest
from rest_framework.test import APIClient

ME = "/api/v1/auth/me/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        # What a server makes of the raw byte 0xE9, which is not UTF-8.
        "\xe9",
        "abc\x00def",
        "\x7f" * 64,
        "0123456789abcdef\x00",
    ],
)
def test_a_token_that_is_not_text_is_refused(token):
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.django_db
def test_a_real_token_with_a_null_character_added_is_refused(viewer):
    client = APIClient()
    secret = client.post(
        "/api/v1/auth/token/",
        {"email": viewer.email, "password": "correct-horse-battery-staple"},
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}\x00")

    response = client.get(ME)

    assert response.status_code == 401
