import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_touches_database_and_local_storage(client, media_root):
    response = client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert not any(media_root.rglob("health/*")), "the probe file is removed"


@pytest.mark.django_db
def test_health_touches_s3(client, s3_storage):
    response = client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json()["storage"] == "ok"


@pytest.mark.django_db
def test_health_names_a_missing_bucket(client, s3_storage, settings):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"

    response = client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "storage": "unavailable",
    }


@pytest.mark.django_db
def test_health_names_an_unreachable_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["storage"] == "ok"
