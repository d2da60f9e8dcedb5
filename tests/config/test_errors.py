import logging
import uuid

import pytest
from django.urls import path

from config.exceptions import in_words
from config.urls import urlpatterns as project_urls


def explode(request):
    raise RuntimeError("boom")


urlpatterns = [*project_urls, path("api/v1/explode/", explode)]


@pytest.fixture
def exploding_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("url", ["/api/v1/no-such-thing/", "/api/v2/", "/api/x"])
def test_unknown_api_path_is_a_json_404(client, settings, debug, url):
    settings.DEBUG = debug

    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_api_path_without_its_slash_is_redirected(client, settings, debug):
    settings.DEBUG = debug

    response = client.get("/api/v1/catalogs")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/catalogs/"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_unknown_path_outside_the_api_is_an_html_404(client, settings, debug):
    settings.DEBUG = debug

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.django_db
def test_unhandled_error_is_a_json_500_with_the_request_id(
    client, exploding_urls, caplog
):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/explode/", HTTP_X_REQUEST_ID="trace-42")

    assert response.status_code == 500
    assert response.json()["request_id"] == "trace-42"
    assert "boom" not in response.json()["detail"]
    record = next(r for r in caplog.records if r.name == "config.middleware")
    assert record.exc_info[0] is RuntimeError
    assert record.request_id == "trace-42"


@pytest.mark.django_db
def test_valid_request_id_is_echoed(client):
    response = client.get("/api/v1/health/", HTTP_X_REQUEST_ID="abc-123.DEF")

    assert response["X-Request-ID"] == "abc-123.DEF"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 200, "<script>"])
def test_missing_or_invalid_request_id_is_replaced(client, incoming):
    response = client.get("/api/v1/health/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] != incoming
    assert uuid.UUID(response["X-Request-ID"])


@pytest.mark.django_db
def test_log_lines_carry_the_request_id(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="trace-7")

    warning = next(r for r in caplog.records if r.name == "django.request")
    assert warning.request_id == "trace-7"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (119, "119 seconds"),
        (120, "2 minutes"),
        (121, "3 minutes"),
        (3600, "60 minutes"),
        (7200, "2 hours"),
        (86400, "24 hours"),
    ],
)
def test_a_wait_is_told_in_the_unit_a_person_would_use(seconds, words):
    assert in_words(seconds) == words
