from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Domain, User
from audit.actions import Action
from audit.models import ActivityLog

DEMO_PASSWORD = "fichero-demo-2026"


def load_demo_data():
    output = StringIO()
    call_command("load_demo_data", stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates():
    load_demo_data()
    load_demo_data()

    assert Domain.objects.filter(name="example.com").count() == 1
    assert sorted(User.objects.values_list("role", flat=True)) == [
        "admin",
        "editor",
        "viewer",
    ]


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


@pytest.mark.django_db
def test_demo_admin_logs_in_to_django_admin(client):
    load_demo_data()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@example.com", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
