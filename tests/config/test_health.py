import boto3
import pytest

from tests.conftest import TEST_REGION, free_loopback_port


@pytest.mark.django_db
def test_health_touches_database_and_local_storage(client, media_root):
    response = client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert not media_root.exists(), "nothing is written, not even the folder"


@pytest.mark.django_db
def test_health_reads_existing_local_storage(client, media_root):
    (media_root / "catalogs").mkdir(parents=True)

    response = client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json()["storage"] == "ok"


@pytest.mark.django_db
def test_health_touches_s3_without_writing(client, s3_storage):
    s3 = boto3.client("s3", region_name=TEST_REGION)
    s3.put_bucket_versioning(
        Bucket=s3_storage, VersioningConfiguration={"Status": "Enabled"}
    )

    response = client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json()["storage"] == "ok"
    history = s3.list_object_versions(Bucket=s3_storage)
    assert "Versions" not in history, "no object was written"
    assert "DeleteMarkers" not in history, "no object was deleted"


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
def test_health_names_an_unreachable_s3(client, s3_storage, settings):
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_loopback_port()}"
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage reads it

    response = client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"


@pytest.mark.postgres
def test_health_names_an_unreachable_database(client, unreachable_database):
    response = client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["storage"] == "ok"
