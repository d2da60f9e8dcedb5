import pytest
from axes.models import AccessAttempt
from django.test import Client
from knox.models import AuthToken

from accounts.models import Domain, Role, User
from audit.actions import Action
from chat.models import Conversation
from tests.accounts.factories import TEST_PASSWORD, DomainFactory, UserFactory
from tests.accounts.helpers import entries, token_client
from tests.chat.factories import ConversationFactory

STRONG = "plum-orchard-lantern-93"


@pytest.fixture
def site(admin):
    """A browser logged in to the Django admin as an admin."""
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": admin.email, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    return browser


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role__exact=editor", ["eddie@example.org"]),
        ("q=LIND", ["vera@example.org"]),
        ("domain__id__exact={other}", ["o@other.org"]),
        ("is_active__exact=0", ["o@other.org"]),
    ],
)
def test_user_list_filters_and_searches(site, editor, viewer, query, expected):
    other = DomainFactory(name="other.org")
    UserFactory(email="o@other.org", domain=other, is_active=False)

    page = site.get(f"/admin/accounts/user/?{query.format(other=other.pk)}")

    assert page.status_code == 200
    assert [user.email for user in page.context["cl"].result_list] == expected
    titles = [spec.title for spec in page.context["cl"].filter_specs]
    assert titles == ["role", "domain", "is active"]


def test_admin_adds_a_user_of_an_allowed_domain(site, admin):
    response = site.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.org",
            "role": "",
            "first_name": "New",
            "last_name": "",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert (user.role, user.domain.name) == (Role.VIEWER, "example.org")
    assert user.check_password(STRONG)
    [entry] = entries(Action.USER_CREATED)
    assert entry.actor == admin
    assert response["Location"] == f"/admin/accounts/user/{user.pk}/change/"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("x@nowhere.org", "is not allowed"),
        ("VERA@example.org", "already exists"),
    ],
)
def test_admin_add_form_refuses_bad_addresses(site, viewer, email, message):
    response = site.post(
        "/admin/accounts/user/add/",
        {
            "email": email,
            "role": "editor",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
        },
    )

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["email"])
    assert User.objects.count() == 2


def test_admin_add_form_refuses_a_weak_password(site):
    response = site.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.org",
            "usable_password": "true",
            "password1": "123",
            "password2": "123",
        },
    )

    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="new@example.org").exists()


def change_form(user, **values):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_promotes_a_user_who_then_uses_the_admin_site(site, admin, viewer):
    response = site.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        change_form(viewer, role="admin"),
    )

    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.role, viewer.is_staff, viewer.is_superuser) == ("admin", True, True)
    [entry] = entries(Action.USER_UPDATED)
    assert entry.changes == {"role": ["viewer", "admin"]}
    promoted = Client()
    promoted.post(
        "/admin/login/", {"username": viewer.email, "password": TEST_PASSWORD}
    )
    assert promoted.get("/admin/").status_code == 200


def test_admin_deactivates_a_user_in_the_admin(site, viewer):
    script, _ = token_client(viewer)

    site.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        change_form(viewer, is_active=None),
    )

    viewer.refresh_from_db()
    assert not viewer.is_active
    assert script.get("/api/v1/auth/me/").status_code == 401
    assert len(entries(Action.USER_DEACTIVATED)) == 1


def test_an_admin_cannot_demote_themself_in_the_admin(site, admin):
    page = site.get(f"/admin/accounts/user/{admin.pk}/change/")

    site.post(
        f"/admin/accounts/user/{admin.pk}/change/",
        change_form(admin, role="viewer", is_active=None, first_name="Ada L."),
    )

    admin.refresh_from_db()
    assert {"role", "is_active"} <= set(page.context["adminform"].readonly_fields)
    assert (admin.role, admin.is_active, admin.first_name) == ("admin", True, "Ada L.")


def test_the_password_form_is_djangos_and_is_audited(site, admin, viewer):
    script, _ = token_client(viewer)
    form = site.get(f"/admin/accounts/user/{viewer.pk}/password/")

    response = site.post(
        f"/admin/accounts/user/{viewer.pk}/password/",
        {"usable_password": "true", "password1": STRONG, "password2": STRONG},
    )

    assert form.status_code == 200
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(STRONG)
    assert script.get("/api/v1/auth/me/").status_code == 401
    [entry] = entries(Action.AUTH_PASSWORD_CHANGED)
    assert (entry.actor, entry.target_id) == (admin, str(viewer.pk))


def test_the_password_form_refuses_a_weak_password(site, viewer):
    response = site.post(
        f"/admin/accounts/user/{viewer.pk}/password/",
        {"usable_password": "true", "password1": "abc", "password2": "abc"},
    )

    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(TEST_PASSWORD)
    assert entries(Action.AUTH_PASSWORD_CHANGED) == []


def test_the_change_page_never_shows_the_password_hash(site, viewer):
    page = site.get(f"/admin/accounts/user/{viewer.pk}/change/")

    assert page.status_code == 200
    assert viewer.password.encode() not in page.content
    assert b"Follows the role" in page.content


def test_admin_deletes_a_user_who_owns_nothing(site, viewer):
    response = site.post(f"/admin/accounts/user/{viewer.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=viewer.pk).exists()
    assert len(entries(Action.USER_DELETED)) == 1


def test_a_user_who_owns_conversations_is_not_deleted_in_the_admin(site, viewer):
    conversation = ConversationFactory(owner=viewer)
    url = f"/admin/accounts/user/{viewer.pk}/delete/"

    page = site.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert page.context["protected"]
    assert "Deactivate the account instead." in page.content.decode()
    assert User.objects.filter(pk=viewer.pk).exists()
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert entries(Action.USER_DELETED) == []


def test_an_admin_cannot_delete_themself_in_the_admin(site, admin):
    response = site.post(f"/admin/accounts/user/{admin.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.mark.parametrize("model", ["user", "domain"])
def test_bulk_delete_is_not_offered(site, viewer, model):
    page = site.get(f"/admin/accounts/{model}/")

    assert page.status_code == 200
    assert b"delete_selected" not in page.content


def test_domain_list_shows_user_counts(site, viewer):
    DomainFactory(name="empty.org")

    page = site.get("/admin/accounts/domain/")

    counts = {
        domain.name: domain.user_count for domain in page.context["cl"].result_list
    }
    assert counts == {"empty.org": 0, "example.org": 2}
    assert b"users" in page.content.lower()


def test_admin_adds_and_deactivates_a_domain(site, admin):
    site.post(
        "/admin/accounts/domain/add/",
        {"name": "Partner.org", "default_role": "editor", "is_active": "on"},
    )
    domain = Domain.objects.get(name="partner.org")
    site.post(
        f"/admin/accounts/domain/{domain.pk}/change/",
        {"default_role": "editor"},
    )

    domain.refresh_from_db()
    assert not domain.is_active
    assert len(entries(Action.DOMAIN_CREATED)) == 1
    assert len(entries(Action.DOMAIN_DEACTIVATED)) == 1


def test_the_admin_refuses_to_deactivate_the_domain_of_its_user(site, admin):
    page = site.post(
        f"/admin/accounts/domain/{admin.domain_id}/change/",
        {"default_role": "viewer"},
        follow=True,
    )

    assert page.status_code == 200
    assert "would lock you out" in page.content.decode()
    assert Domain.objects.get(pk=admin.domain_id).is_active
    assert not entries(Action.DOMAIN_DEACTIVATED)


@pytest.mark.parametrize("name", ["Example.ORG", " example.org. "])
def test_the_add_form_refuses_a_domain_allowed_already_in_another_case(
    site, viewer, name
):
    page = site.post(
        "/admin/accounts/domain/add/",
        {"name": name, "default_role": "viewer", "is_active": "on"},
    )

    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "name": ["Domain with this Name already exists."]
    }
    assert list(Domain.objects.values_list("name", flat=True)) == ["example.org"]
    assert not entries(Action.DOMAIN_CREATED)


def test_a_domain_in_use_cannot_be_deleted_in_the_admin(site, viewer):
    page = site.post(
        f"/admin/accounts/domain/{viewer.domain_id}/delete/", {"post": "yes"}
    )

    assert page.status_code == 200
    assert page.context["protected"]
    assert Domain.objects.filter(pk=viewer.domain_id).exists()


def test_deleting_a_token_in_the_admin_revokes_it(site, viewer):
    script, token = token_client(viewer)

    page = site.get("/admin/knox/authtoken/")
    response = site.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert not AuthToken.objects.exists()
    assert script.get("/api/v1/auth/me/").status_code == 401
    assert len(entries(Action.AUTH_TOKEN_REVOKED)) == 1


def test_tokens_cannot_be_made_in_the_admin(site):
    assert site.get("/admin/knox/authtoken/add/").status_code == 403


def test_failed_logins_are_listed_for_admins_to_unlock(site, viewer):
    Client().post("/admin/login/", {"username": viewer.email, "password": "nope"})

    page = site.get("/admin/axes/accessattempt/")

    assert page.status_code == 200
    assert [a.username for a in page.context["cl"].result_list] == [viewer.email]


def test_admin_adds_a_user_without_password_login(site):
    site.post(
        "/admin/accounts/user/add/",
        {"email": "sso@example.org", "role": "editor", "usable_password": "false"},
    )

    user = User.objects.get(email="sso@example.org")
    assert user.role == Role.EDITOR
    assert not user.has_usable_password()


def test_admin_disables_password_login_of_a_user(site, viewer):
    site.post(
        f"/admin/accounts/user/{viewer.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )

    viewer.refresh_from_db()
    assert not viewer.has_usable_password()
    [entry] = entries(Action.AUTH_PASSWORD_CHANGED)
    assert entry.details == {"tokens_revoked": 0, "usable": False}


def test_admin_moves_a_user_to_another_domain(site, viewer):
    DomainFactory(name="other.org")

    response = site.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        change_form(viewer, email="Vera@Other.org"),
    )

    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.email, viewer.domain.name) == ("vera@other.org", "other.org")
    [entry] = entries(Action.USER_UPDATED)
    assert entry.changes == {
        "email": ["vera@example.org", "vera@other.org"],
        "domain": ["example.org", "other.org"],
    }


def test_admin_change_form_refuses_an_address_not_allowed(site, viewer):
    response = site.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        change_form(viewer, email="vera@nowhere.org"),
    )

    assert response.status_code == 200
    assert "not allowed" in str(response.context["adminform"].form.errors)
    viewer.refresh_from_db()
    assert viewer.email == "vera@example.org"


def test_admin_deletes_an_unused_domain(site):
    unused = DomainFactory(name="unused.org")

    response = site.post(f"/admin/accounts/domain/{unused.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Domain.objects.filter(pk=unused.pk).exists()
    assert len(entries(Action.DOMAIN_DELETED)) == 1


@pytest.mark.parametrize(
    "page",
    ["/admin/auth/group/", "/admin/axes/accesslog/", "/admin/axes/accessfailurelog/"],
)
def test_groups_and_login_logs_never_written_are_not_in_the_admin(site, page):
    assert site.get(page).status_code == 404


def test_admin_lifts_several_lockouts_at_once_each_recorded(site, viewer, editor):
    for email in (viewer.email, editor.email):
        Client().post("/admin/login/", {"username": email, "password": "nope"})
    attempts = sorted(AccessAttempt.objects.values_list("pk", flat=True))
    page = site.get("/admin/axes/accessattempt/")

    site.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert b"cleanup_expired_attempts" not in page.content
    assert not AccessAttempt.objects.exists()
    recorded = entries(Action.ADMIN_DELETED)
    assert sorted(int(entry.target_id) for entry in recorded) == attempts
    assert {entry.target_type for entry in recorded} == {"axes.accessattempt"}
