import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

DEMO_PASSWORD = "fichero-demo-2026"


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=None)


def test_demo_admin_logs_in_to_the_admin(demo):
    browser = Client()

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@example.com", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
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
