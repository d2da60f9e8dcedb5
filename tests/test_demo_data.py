import pytest
from django.core.management import call_command

from accounts.models import Domain, User


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")

    assert Domain.objects.filter(name="example.com").count() == 1
    assert sorted(User.objects.values_list("role", flat=True)) == [
        "admin",
        "editor",
        "viewer",
    ]
    assert "admin@example.com  password: fichero-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_admin_logs_in_to_django_admin(client):
    call_command("load_demo_data")

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@example.com", "password": "fichero-demo-2026"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
