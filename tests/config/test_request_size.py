import pytest


@pytest.mark.django_db
def test_body_over_the_limit_is_a_json_413(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000

    response = client.generic(
        "POST", "/api/v1/health/", b"x" * 1001, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response.json()["max_bytes"] == 1000
    assert "1001 bytes" in response.json()["detail"]


@pytest.mark.django_db
def test_body_within_the_limit_reaches_the_view(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000

    response = client.generic(
        "POST", "/api/v1/health/", b"x" * 1000, content_type="application/octet-stream"
    )

    assert response.status_code == 405


def test_the_body_limit_leaves_room_for_the_largest_upload(settings):
    assert settings.REQUEST_BODY_MAX_BYTES > settings.UPLOAD_MAX_BYTES
