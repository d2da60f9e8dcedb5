from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Domain, User
from audit.actions import Action
from audit.models import ActivityLog
from catalogs.management.commands.load_demo_data import DEMO_PASSWORD


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=None)


@pytest.mark.django_db
def test_loading_twice_makes_the_demo_users_once_and_prints_their_logins(capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")

    assert Domain.objects.filter(name="example.com").count() == 1
    assert sorted(User.objects.values_list("email", "role")) == [
        ("admin@example.com", "admin"),
        ("editor@example.com", "editor"),
        ("viewer@example.com", "viewer"),
    ]
    assert f"admin@example.com  password: {DEMO_PASSWORD}" in capsys.readouterr().out


def test_demo_admin_logs_in_to_the_admin(demo):
    browser = Client()

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@example.com", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert browser.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize("email", ["admin@example.com", "editor@example.com"])
def test_demo_users_log_in_through_the_browsable_api(demo, email):
    browser = Client()

    response = browser.post(
        "/api/v1/api-auth/login/?next=/api/v1/auth/me/",
        {"username": email, "password": DEMO_PASSWORD},
    )
    me = browser.get("/api/v1/auth/me/", HTTP_ACCEPT="text/html")

    assert response.status_code == 302
    assert me.status_code == 200
    assert email.encode() in me.content


@pytest.mark.parametrize("email", ["viewer@example.com", "editor@example.com"])
def test_demo_users_get_tokens(demo, email):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 201


def load_demo_data():
    output = StringIO()
    call_command("load_demo_data", stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_the_first_run_prints_the_password_of_each_account():
    output = load_demo_data()

    assert f"admin   admin@example.com  password: {DEMO_PASSWORD}" in output
    assert f"editor  editor@example.com  password: {DEMO_PASSWORD}" in output
    assert f"viewer  viewer@example.com  password: {DEMO_PASSWORD}" in output


@pytest.mark.django_db
def test_a_second_run_says_the_accounts_exist_without_a_password():
    load_demo_data()
    admin = User.objects.get(email="admin@example.com")
    admin.set_password("Changed-Since-Then-83")
    admin.save()

    output = load_demo_data()

    assert "admin   admin@example.com  already existed, password unchanged" in output
    assert "viewer  viewer@example.com  already existed, password unchanged" in output
    assert DEMO_PASSWORD not in output
    admin.refresh_from_db()
    assert admin.check_password("Changed-Since-Then-83")


@pytest.mark.django_db
def test_only_the_missing_account_gets_a_password_printed():
    load_demo_data()
    User.objects.get(email="viewer@example.com").delete()

    output = load_demo_data()

    assert "editor  editor@example.com  already existed" in output
    assert f"viewer  viewer@example.com  password: {DEMO_PASSWORD}" in output


@pytest.mark.django_db
def test_the_domain_and_users_are_in_the_activity_log_once():
    load_demo_data()
    load_demo_data()

    created = ActivityLog.objects.filter(
        action__in=[Action.DOMAIN_CREATED, Action.USER_CREATED]
    )
    assert sorted(created.values_list("action", "target_label")) == [
        (Action.DOMAIN_CREATED, "example.com"),
        (Action.USER_CREATED, "admin@example.com"),
        (Action.USER_CREATED, "editor@example.com"),
        (Action.USER_CREATED, "viewer@example.com"),
    ]
    assert not created.filter(actor__isnull=False).exists(), "done by the system"


@pytest.mark.django_db
def test_an_inactive_demo_domain_is_a_clear_error():
    Domain.objects.create(name="example.com", is_active=False)

    with pytest.raises(CommandError, match="example.com is not allowed"):
        load_demo_data()
