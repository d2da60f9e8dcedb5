from datetime import timedelta

from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.actions import Action
from tests.accounts.factories import TEST_PASSWORD
from tests.accounts.helpers import entries, session_client, token_client

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"


def test_a_script_gets_a_token_and_uses_it(visitor, viewer):
    response = visitor.post(TOKEN, {"email": viewer.email, "password": TEST_PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == viewer.email
    assert body["expiry"]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert script.get(ME).json()["email"] == viewer.email
    [entry] = entries(Action.AUTH_TOKEN_CREATED)
    assert entry.actor == viewer
    assert body["token"] not in str(entry.details)


def test_tokens_are_stored_hashed_and_expire(visitor, viewer):
    before = timezone.now()
    secret = visitor.post(
        TOKEN, {"email": viewer.email, "password": TEST_PASSWORD}
    ).json()["token"]

    [token] = AuthToken.objects.filter(user=viewer)
    assert secret != token.digest
    assert not secret.startswith(token.digest)
    assert before + timedelta(hours=9) < token.expiry < before + timedelta(hours=11)


def test_an_expired_token_is_refused(viewer):
    client, token = token_client(viewer)
    AuthToken.objects.filter(pk=token.pk).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )

    response = client.get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_is_revoked_with_delete(viewer):
    client, token = token_client(viewer)
    other, _ = token_client(viewer)

    response = client.delete(TOKEN)

    assert response.status_code == 204
    assert client.get(ME).status_code == 401
    assert other.get(ME).status_code == 200
    [entry] = entries(Action.AUTH_TOKEN_REVOKED)
    assert entry.actor == viewer


def test_a_token_request_never_uses_the_session_cookie(viewer):
    browser = session_client(viewer)

    issued = browser.post(TOKEN, {})
    revoked = browser.delete(TOKEN)

    assert issued.status_code == 400
    assert set(issued.json()) == {"email", "password"}
    assert revoked.status_code == 401
    assert not AuthToken.objects.exists()


def test_a_stale_token_header_does_not_stop_getting_a_new_token(visitor, viewer):
    visitor.credentials(HTTP_AUTHORIZATION="Token no-longer-valid")

    response = visitor.post(TOKEN, {"email": viewer.email, "password": TEST_PASSWORD})

    assert response.status_code == 201


def test_a_request_with_a_valid_token_is_never_refused_for_csrf(viewer):
    secret = AuthToken.objects.create(user=viewer)[1]
    browser = Client(enforce_csrf_checks=True)
    browser.get("/api/v1/auth/login/")
    browser.post(
        "/api/v1/auth/login/",
        {"email": viewer.email, "password": TEST_PASSWORD},
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    with_session = browser.patch(
        ME, {"first_name": "Vee"}, content_type="application/json"
    )
    with_token = browser.patch(
        ME,
        {"first_name": "Vee"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {secret}",
    )

    assert with_session.status_code == 403
    assert with_token.status_code == 200
    assert with_token.json()["first_name"] == "Vee"


def test_malformed_token_headers_are_refused(viewer):
    client = APIClient()
    answers = []
    for header in ["Token", "Token a b", "Token not-a-real-token"]:
        client.credentials(HTTP_AUTHORIZATION=header)
        answers.append(client.get(ME).status_code)

    assert answers == [401, 401, 401]
