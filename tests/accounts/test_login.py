import pytest
from django.test import Client
from rest_framework.test import APIClient

from audit.actions import Action
from tests.accounts.factories import TEST_PASSWORD, DomainFactory, UserFactory
from tests.accounts.helpers import entries, session_client

LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/auth/me/"


def test_session_login_then_requests_with_the_cookie(visitor, viewer):
    response = visitor.post(LOGIN, {"email": viewer.email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert response.json()["email"] == viewer.email
    assert visitor.get(ME).json()["email"] == viewer.email
    [entry] = entries(Action.AUTH_LOGIN)
    assert entry.actor == viewer


def test_login_ignores_case_and_spaces_of_the_address(visitor, viewer):
    response = visitor.post(
        LOGIN, {"email": "  VERA@Example.org ", "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["id"] == viewer.pk


def test_session_login_needs_the_csrf_token_as_django_does(viewer):
    browser = Client(enforce_csrf_checks=True)
    credentials = {"email": viewer.email, "password": TEST_PASSWORD}

    refused = browser.post(LOGIN, credentials)
    browser.get(LOGIN)
    accepted = browser.post(
        LOGIN, credentials, HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 200


def test_session_writes_need_the_csrf_token(viewer):
    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN)
    browser.post(
        LOGIN,
        {"email": viewer.email, "password": TEST_PASSWORD},
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    refused = browser.patch(ME, {"first_name": "Vee"}, content_type="application/json")
    accepted = browser.patch(
        ME,
        {"first_name": "Vee"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200


def refusal(client, url, email, password):
    response = client.post(url, {"email": email, "password": password})
    return response.status_code, response.json()


@pytest.fixture
def refused_cases(db):
    """Four logins that fail for four reasons, and must not say which."""
    UserFactory(email="ok@example.org")
    UserFactory(email="off@example.org", is_active=False)
    closed = DomainFactory(name="closed.org", is_active=False)
    UserFactory(email="shut@closed.org", domain=closed)
    return [
        ("ok@example.org", "wrong-password-1"),
        ("nobody@example.org", TEST_PASSWORD),
        ("off@example.org", TEST_PASSWORD),
        ("shut@closed.org", TEST_PASSWORD),
    ]


@pytest.mark.parametrize("url", [LOGIN, "/api/v1/auth/token/"])
def test_every_refused_login_gets_the_same_answer(refused_cases, url):
    answers = [
        refusal(APIClient(), url, email, password) for email, password in refused_cases
    ]

    assert answers[0] == (
        400,
        {
            "detail": "Unable to log in with the e-mail address and password given.",
            "code": "invalid_credentials",
        },
    )
    assert all(answer == answers[0] for answer in answers)


def test_every_refused_admin_login_gets_the_same_page(refused_cases):
    pages = []
    for email, password in refused_cases:
        response = Client().post(
            "/admin/login/", {"username": email, "password": password}
        )
        pages.append((response.status_code, response.context["form"].errors))

    assert pages[0][0] == 200
    assert "correct email and password" in str(pages[0][1])
    assert all(page == pages[0] for page in pages)


def test_a_failed_login_is_recorded_with_the_address_tried(visitor, viewer):
    visitor.post(LOGIN, {"email": "Vera@example.org", "password": "nope-nope-1"})
    visitor.post(LOGIN, {"email": "ghost@example.org", "password": "nope-nope-1"})

    known, unknown = entries(Action.AUTH_LOGIN_FAILED)
    assert known.details == {"email": "vera@example.org"}
    assert known.target_id == str(viewer.pk)
    assert known.actor is None
    assert unknown.details == {"email": "ghost@example.org"}
    assert unknown.target_id == ""


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"email", "password"}),
        ({"email": "vera@example.org"}, {"password"}),
        ({"email": "not-an-address", "password": "x"}, {"email"}),
        ({"email": ["vera@example.org"], "password": {"a": 1}}, {"email", "password"}),
    ],
)
@pytest.mark.parametrize("url", [LOGIN, "/api/v1/auth/token/"])
def test_bad_login_input_is_a_field_error(visitor, viewer, url, body, errors):
    response = visitor.post(url, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == errors


def test_logout_ends_the_session(viewer):
    client = session_client(viewer)

    response = client.post(LOGOUT)

    assert response.status_code == 204
    assert client.get(ME).status_code == 401
    [entry] = entries(Action.AUTH_LOGOUT)
    assert entry.actor == viewer


def test_logout_without_a_session_does_nothing(visitor, db):
    response = visitor.post(LOGOUT)

    assert response.status_code == 204
    assert entries(Action.AUTH_LOGOUT) == []


def test_logout_needs_the_csrf_token(viewer):
    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN)
    browser.post(
        LOGIN,
        {"email": viewer.email, "password": TEST_PASSWORD},
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    response = browser.post(LOGOUT)

    assert response.status_code == 403
    assert browser.get(ME).status_code == 200


def test_browsable_api_login_link_logs_in(viewer):
    browser = Client()

    page = browser.get("/api/v1/", HTTP_ACCEPT="text/html")
    login_page = browser.get("/api/v1/api-auth/login/?next=/api/v1/auth/me/")
    response = browser.post(
        "/api/v1/api-auth/login/?next=/api/v1/auth/me/",
        {"username": "Vera@Example.org", "password": TEST_PASSWORD},
    )
    me = browser.get(ME, HTTP_ACCEPT="text/html")

    assert b"/api/v1/api-auth/login/" in page.content
    assert login_page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/auth/me/"
    assert me.status_code == 200
    assert b"vera@example.org" in me.content
    assert len(entries(Action.AUTH_LOGIN)) == 1


def test_browsable_api_login_form_refuses_a_wrong_password(viewer):
    response = Client().post(
        "/api/v1/api-auth/login/",
        {"username": viewer.email, "password": "not-the-password"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(entries(Action.AUTH_LOGIN_FAILED)) == 1


def test_admin_login_with_the_address_in_any_case(admin):
    browser = Client()

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "ADA@example.org", "password": TEST_PASSWORD},
    )

    assert response.status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_non_admins_cannot_use_the_admin_site(editor):
    browser = Client()

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": editor.email, "password": TEST_PASSWORD},
    )

    assert response.status_code == 200
    assert "correct email and password" in str(response.context["form"].errors)
    assert browser.get("/admin/").status_code == 302
