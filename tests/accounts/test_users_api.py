import pytest
from rest_framework.test import APIClient

from accounts.models import Role, User
from audit.actions import Action
from catalogs.models import Catalog
from chat.models import Conversation, Message
from tests.accounts.factories import (
    TEST_PASSWORD,
    DomainFactory,
    EditorFactory,
    UserFactory,
)
from tests.accounts.helpers import entries, session_client, token_client
from tests.chat.factories import ConversationFactory, MessageFactory

USERS = "/api/v1/users/"
STRONG = "plum-orchard-lantern-93"


def detail(user):
    return f"{USERS}{user.pk}/"


def emails(response):
    assert response.status_code == 200, response.json()
    return [user["email"] for user in response.json()["results"]]


@pytest.fixture
def people(admin, editor, viewer):
    other = DomainFactory(name="other.org")
    gone = UserFactory(email="gone@other.org", domain=other, is_active=False)
    return {"admin": admin, "editor": editor, "viewer": viewer, "gone": gone}


def test_admin_lists_users_paginated_by_email(as_admin, people):
    response = as_admin.get(USERS)

    assert response.json()["count"] == 4
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert emails(response) == [
        "ada@example.org",
        "eddie@example.org",
        "gone@other.org",
        "vera@example.org",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=EDDIE", ["eddie@example.org"]),
        ("search=lind", ["vera@example.org"]),
        ("role=editor", ["eddie@example.org"]),
        ("domain=other.org", ["gone@other.org"]),
        ("is_active=false", ["gone@other.org"]),
        ("is_active=true&role=admin", ["ada@example.org"]),
        (
            "ordering=-email&domain=example.org",
            [
                "vera@example.org",
                "eddie@example.org",
                "ada@example.org",
            ],
        ),
    ],
)
def test_admin_searches_and_filters_users(as_admin, people, query, expected):
    assert emails(as_admin.get(f"{USERS}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("role=boss", "role"),
        ("domain=nowhere.org", "domain"),
        ("is_active=maybe", "is_active"),
        ("ordering=password", "ordering"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(as_admin, people, query, field):
    response = as_admin.get(f"{USERS}?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_admin_creates_a_user_with_the_domain_default_role(as_admin, admin, db):
    DomainFactory(name="partner.org", default_role=Role.EDITOR)

    response = as_admin.post(
        USERS,
        {"email": "Pat@Partner.org", "password": STRONG, "last_name": "Doe"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["role"] == Role.EDITOR
    assert response.json()["domain"] == "partner.org"
    user = User.objects.get(email="pat@partner.org")
    assert user.check_password(STRONG)
    [entry] = entries(Action.USER_CREATED)
    assert (entry.actor, entry.target_id) == (admin, str(user.pk))
    assert entry.details == {"role": Role.EDITOR}


def test_admin_creates_an_admin(as_admin, domain):
    response = as_admin.post(
        USERS,
        {"email": "boss@example.org", "password": STRONG, "role": "admin"},
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get(email="boss@example.org")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"email": "x@nowhere.org", "password": STRONG}, "domain_not_allowed"),
        ({"email": "VERA@example.org", "password": STRONG}, "email_taken"),
        ({"email": "new@example.org", "password": "short"}, "password"),
        ({"email": "new@example.org"}, "password"),
        ({"email": "new@example.org", "password": STRONG, "role": "god"}, "role"),
        ({"email": 42, "password": STRONG}, "email"),
    ],
)
def test_admin_bad_creations_are_refused(as_admin, viewer, body, error):
    response = as_admin.post(USERS, body, format="json")

    assert response.status_code == 400
    assert response.json().get("code") == error or list(response.json()) == [error]
    assert User.objects.count() == 2


def test_admin_changes_a_role(as_admin, admin, viewer):
    response = as_admin.patch(detail(viewer), {"role": "editor"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    [entry] = entries(Action.USER_UPDATED)
    assert entry.actor == admin
    assert entry.changes == {"role": ["viewer", "editor"]}


def test_admin_moves_a_user_to_another_domain_by_address(as_admin, viewer):
    DomainFactory(name="other.org")

    moved = as_admin.patch(detail(viewer), {"email": "Vera@Other.org"}, format="json")
    refused = as_admin.patch(detail(viewer), {"email": "v@nowhere.org"}, format="json")

    assert moved.status_code == 200
    assert moved.json()["domain"] == "other.org"
    assert refused.status_code == 400
    assert refused.json()["code"] == "domain_not_allowed"
    viewer.refresh_from_db()
    assert (viewer.email, viewer.domain.name) == ("vera@other.org", "other.org")


def test_an_address_of_another_user_is_refused(as_admin, viewer, editor):
    response = as_admin.patch(
        detail(viewer), {"email": "Eddie@example.org"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    "body",
    [
        {"role": "god"},
        {"is_active": "maybe"},
        {"first_name": ["x"]},
        {"email": "not an address"},
        {"domain": "other.org"},
        {"password": STRONG},
    ],
)
def test_bad_changes_are_field_errors(as_admin, viewer, body):
    response = as_admin.patch(detail(viewer), body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == set(body)


def test_deactivation_cuts_off_sessions_and_tokens(as_admin, admin, viewer):
    browser = session_client(viewer)
    script, _ = token_client(viewer)

    response = as_admin.patch(detail(viewer), {"is_active": False}, format="json")

    assert response.status_code == 200
    assert browser.get("/api/v1/auth/me/").status_code == 401
    assert script.get("/api/v1/auth/me/").status_code == 401
    [entry] = entries(Action.USER_DEACTIVATED)
    assert entry.actor == admin
    assert entry.changes == {"is_active": [True, False]}


def test_a_reactivated_user_logs_in_again(as_admin, viewer):
    as_admin.patch(detail(viewer), {"is_active": False}, format="json")
    as_admin.patch(detail(viewer), {"is_active": True}, format="json")

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": viewer.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 201
    assert entries(Action.USER_UPDATED)[0].changes == {"is_active": [False, True]}


@pytest.mark.parametrize("body", [{"role": "viewer"}, {"is_active": False}])
def test_an_admin_cannot_demote_or_deactivate_themself(as_admin, admin, body):
    response = as_admin.patch(detail(admin), body, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "own_account"
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_admin_deletes_a_user_who_owns_nothing(as_admin, admin, viewer):
    response = as_admin.delete(detail(viewer))

    assert response.status_code == 204
    assert not User.objects.filter(pk=viewer.pk).exists()
    [entry] = entries(Action.USER_DELETED)
    assert (entry.actor, entry.target_label) == (admin, "vera@example.org")


def test_a_user_who_owns_data_is_not_deleted(as_admin, editor):
    Catalog.objects.create(name="Contracts", owner=editor)

    response = as_admin.delete(detail(editor))

    assert response.status_code == 409
    assert response.json()["code"] == "user_owns_data"
    assert "Deactivate" in response.json()["detail"]
    assert User.objects.filter(pk=editor.pk).exists()
    assert entries(Action.USER_DELETED) == []


def test_a_user_who_owns_conversations_is_not_deleted(as_admin, viewer):
    conversation = ConversationFactory(owner=viewer)
    MessageFactory(conversation=conversation)

    response = as_admin.delete(detail(viewer))

    assert response.status_code == 409
    assert response.json()["code"] == "user_owns_data"
    assert "conversations" in response.json()["detail"]
    assert "Deactivate the account instead." in response.json()["detail"]
    assert User.objects.filter(pk=viewer.pk).exists()
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert Message.objects.filter(conversation=conversation).exists()
    assert entries(Action.USER_DELETED) == []


def test_an_admin_cannot_delete_themself(as_admin, admin):
    response = as_admin.delete(detail(admin))

    assert response.status_code == 403
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.fixture
def as_editor(api, editor):
    return api(editor)


def test_non_admins_may_not_list_or_create_users(as_editor, viewer):
    listed = as_editor.get(USERS)
    created = as_editor.post(
        USERS, {"email": "x@example.org", "password": STRONG}, format="json"
    )

    assert listed.status_code == 403
    assert created.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_non_admins_read_only_themselves(as_editor, editor, viewer):
    own = as_editor.get(detail(editor))
    other = as_editor.get(detail(viewer))

    assert own.status_code == 200
    assert own.json()["email"] == editor.email
    assert other.status_code == 404


def test_non_admins_change_nobody(as_editor, editor, viewer):
    own = as_editor.patch(detail(editor), {"role": "admin"}, format="json")
    other = as_editor.patch(detail(viewer), {"first_name": "X"}, format="json")
    deleted = as_editor.delete(detail(viewer))

    assert own.status_code == 403
    assert other.status_code == 404
    assert deleted.status_code == 404
    editor.refresh_from_db()
    viewer.refresh_from_db()
    assert (editor.role, viewer.first_name) == (Role.EDITOR, "Vera")


def test_anonymous_gets_401(visitor, viewer):
    assert visitor.get(USERS).status_code == 401
    assert visitor.get(detail(viewer)).status_code == 401


def test_an_unknown_user_is_a_404(as_admin):
    assert as_admin.get(f"{USERS}999999/").status_code == 404


def test_user_list_is_browsable(admin, db):
    EditorFactory(email="e2@example.org")
    client = session_client(admin)

    response = client.get(USERS, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"e2@example.org" in response.content


def test_the_same_address_in_another_case_changes_nothing(as_admin, viewer):
    response = as_admin.patch(
        detail(viewer), {"email": " VERA@example.org"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == "vera@example.org"
    assert entries(Action.USER_UPDATED) == []


def test_deleting_a_user_keeps_their_activity(as_admin, viewer):
    session_client(viewer)

    response = as_admin.delete(detail(viewer))

    assert response.status_code == 204
    [login] = entries(Action.AUTH_LOGIN)
    assert login.actor_email == "vera@example.org"
    assert login.target_label == "vera@example.org"
