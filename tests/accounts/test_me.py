import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from audit.actions import Action
from tests.accounts.helpers import entries, session_client, token_client

ME = "/api/v1/auth/me/"
PASSWORD = "/api/v1/auth/password/"
NEW = "plum-orchard-lantern-93"


def test_me_shows_the_caller(viewer):
    client, _ = token_client(viewer)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": viewer.pk,
        "email": "vera@example.org",
        "first_name": "Vera",
        "last_name": "Lind",
        "role": "viewer",
        "domain": "example.org",
        "is_active": True,
        "date_joined": response.json()["date_joined"],
        "last_login": response.json()["last_login"],
    }


def test_me_needs_a_login(visitor, db):
    response = visitor.get(ME)

    assert response.status_code == 401


def test_a_user_changes_their_names(viewer):
    client = session_client(viewer)

    response = client.patch(ME, {"first_name": "Verónica", "last_name": "Lind-Ek"})

    assert response.status_code == 200
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.last_name) == ("Verónica", "Lind-Ek")
    [entry] = entries(Action.USER_UPDATED)
    assert entry.actor == viewer
    assert entry.changes == {
        "first_name": ["Vera", "Verónica"],
        "last_name": ["Lind", "Lind-Ek"],
    }


def test_an_unchanged_profile_records_nothing(viewer):
    client, _ = token_client(viewer)

    response = client.patch(ME, {"first_name": "Vera"})

    assert response.status_code == 200
    assert entries(Action.USER_UPDATED) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("role", Role.ADMIN, "You cannot change your own role."),
        ("email", "vera@other.org", "Ask an admin to change your e-mail address."),
        ("email", "vera2@example.org", "Ask an admin to change your e-mail address."),
        ("domain", "other.org", "Your domain follows your e-mail address."),
        ("is_active", False, "You cannot deactivate yourself."),
    ],
)
def test_a_user_cannot_change_their_role_address_or_domain(
    viewer, field, value, message
):
    client, _ = token_client(viewer)

    response = client.patch(ME, {field: value, "first_name": "Vee"}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    viewer.refresh_from_db()
    assert (viewer.role, viewer.email, viewer.first_name) == (
        Role.VIEWER,
        "vera@example.org",
        "Vera",
    )


@pytest.mark.parametrize(
    "body", [{"first_name": ["Vee"]}, {"first_name": "x" * 151}, {"last_name": None}]
)
def test_bad_names_are_field_errors(viewer, body):
    client, _ = token_client(viewer)

    response = client.patch(ME, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == set(body)


def test_me_does_not_take_put(viewer):
    client, _ = token_client(viewer)

    response = client.put(ME, {"first_name": "Vee"})

    assert response.status_code == 405


def test_changing_the_password_ends_other_sessions_and_tokens(viewer):
    client = session_client(viewer)
    other_browser = session_client(viewer)
    script, _ = token_client(viewer)

    response = client.post(
        PASSWORD, {"old_password": "correct-horse-battery-staple", "new_password": NEW}
    )

    assert response.status_code == 204
    assert client.get(ME).status_code == 200
    assert other_browser.get(ME).status_code == 401
    assert script.get(ME).status_code == 401
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    [entry] = entries(Action.AUTH_PASSWORD_CHANGED)
    assert entry.actor == viewer
    assert entry.details == {"tokens_revoked": 1, "usable": True}


def test_changing_the_password_with_a_token_keeps_that_token(viewer):
    script, _ = token_client(viewer)
    other_script, _ = token_client(viewer)
    browser = session_client(viewer)

    response = script.post(
        PASSWORD,
        {"old_password": "correct-horse-battery-staple", "new_password": NEW},
    )

    assert response.status_code == 204
    assert script.get(ME).status_code == 200
    assert other_script.get(ME).status_code == 401
    assert browser.get(ME).status_code == 401
    assert "sessionid" not in response.cookies


def test_the_new_password_logs_in_and_the_old_does_not(viewer):
    client, _ = token_client(viewer)
    client.post(
        PASSWORD,
        {"old_password": "correct-horse-battery-staple", "new_password": NEW},
    )

    old = APIClient().post(
        "/api/v1/auth/login/",
        {"email": viewer.email, "password": "correct-horse-battery-staple"},
    )
    new = APIClient().post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": NEW}
    )

    assert old.status_code == 400
    assert new.status_code == 200


def test_a_wrong_old_password_is_refused(viewer):
    client, _ = token_client(viewer)

    response = client.post(PASSWORD, {"old_password": "guess", "new_password": NEW})

    assert response.status_code == 400
    assert response.json() == {"old_password": ["The old password is wrong."]}
    viewer.refresh_from_db()
    assert not viewer.check_password(NEW)
    assert len(entries(Action.AUTH_LOGIN_FAILED)) == 1


@pytest.mark.parametrize("weak", ["short1", "password1", "12345678901", "vera@example"])
def test_a_weak_new_password_is_refused(viewer, weak):
    client, _ = token_client(viewer)

    response = client.post(
        PASSWORD,
        {"old_password": "correct-horse-battery-staple", "new_password": weak},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["new_password"]
    assert entries(Action.AUTH_PASSWORD_CHANGED) == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"old_password", "new_password"}),
        ({"old_password": 12, "new_password": ["x"]}, {"new_password"}),
    ],
)
def test_bad_password_change_input_is_a_field_error(viewer, body, errors):
    client, _ = token_client(viewer)

    response = client.post(PASSWORD, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == errors
