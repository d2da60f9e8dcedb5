import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Domain, User
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
