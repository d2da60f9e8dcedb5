import pytest

ROUTES = [
    "/api/v1/auth/register/",
    "/api/v1/auth/login/",
    "/api/v1/auth/logout/",
    "/api/v1/auth/token/",
    "/api/v1/auth/me/",
    "/api/v1/auth/password/",
    "/api/v1/users/",
    "/api/v1/users/{id}/",
    "/api/v1/domains/",
    "/api/v1/domains/{id}/",
]


@pytest.mark.django_db
def test_schema_describes_the_accounts_api_and_token_auth(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    assert set(ROUTES) <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert schemes["knoxApiToken"]["type"] == "apiKey"
    assert set(schema["paths"]["/api/v1/auth/token/"]) == {"post", "delete"}


@pytest.mark.django_db
def test_api_root_links_to_the_accounts_api(client):
    links = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()

    assert links["users"] == "http://testserver/api/v1/users/"
    assert links["domains"] == "http://testserver/api/v1/domains/"
    assert links["token"] == "http://testserver/api/v1/auth/token/"
    assert links["login"] == "http://testserver/api/v1/auth/login/"
