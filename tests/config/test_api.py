import pytest


@pytest.mark.django_db
def test_api_root_links_to_the_schema_and_docs(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["schema"] == "http://testserver/api/v1/schema/"
    assert response.json()["docs"] == "http://testserver/api/v1/docs/"


@pytest.mark.django_db
def test_api_root_is_browsable(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Fichero" in response.content or b"Api Root" in response.content


@pytest.mark.django_db
def test_openapi_schema_and_swagger_ui(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Fichero API"
    assert "/api/v1/health/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.mark.django_db
def test_admin_login_page_and_its_css(client):
    page = client.get("/admin/login/")
    css = client.get("/static/admin/css/base.css")

    assert page.status_code == 200
    assert css.status_code == 200
    assert b"body" in b"".join(css.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/docs/", "/api/v1/schema/"])
def test_options_on_api_pages_never_fails(client, path):
    client.raise_request_exception = False

    response = client.options(path, HTTP_ACCEPT="text/html")

    assert response.status_code in {200, 405, 406}
