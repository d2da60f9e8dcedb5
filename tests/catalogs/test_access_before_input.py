"""
Access to the catalog in the path is settled before the body is read: what
someone who may not act sends is never validated, so its answer cannot
tell them anything, such as which e-mail addresses have an account.
"""

import pytest

# Each route under a catalog that reads a body, with a body it refuses.
ROUTES = [
    ("post", "/api/v1/catalogs/{catalog}/permissions/", {"access": "boss"}),
    ("patch", "/api/v1/catalogs/{catalog}/permissions/{grant}/", {"access": "boss"}),
    ("post", "/api/v1/catalogs/{catalog}/files/", {"name": "no file"}),
    ("post", "/api/v1/catalogs/{catalog}/uploads/", {"size": -1}),
]


def route_id(route):
    return f"{route[0].upper()} {route[1]}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route_id(r) for r in ROUTES])
@pytest.mark.parametrize(("role", "status"), [("stranger", 404), ("reader", 403)])
def test_a_bad_body_from_someone_who_may_not_act_is_not_read(
    request, api, catalog, route, role, status
):
    method, path, body = route
    grant = catalog.permissions.get(user=request.getfixturevalue("reader"))
    data_format = "multipart" if path.endswith("/files/") else "json"

    response = getattr(api(request.getfixturevalue(role)), method)(
        path.format(catalog=catalog.pk, grant=grant.pk), body, format=data_format
    )

    assert response.status_code == status, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["stranger", "reader", "writer"])
def test_granting_tells_nobody_but_managers_which_addresses_exist(
    request, api, catalog, owner, role
):
    client = api(request.getfixturevalue(role))
    path = f"/api/v1/catalogs/{catalog.pk}/permissions/"
    missing = f"/api/v1/catalogs/{catalog.pk + 1000}/permissions/"

    answers = [
        client.post(url, {"email": email, "access": "read"}, format="json")
        for url in [path, missing]
        for email in [owner.email, "nobody-at-all@example.org"]
    ]

    known, unknown, known_elsewhere, unknown_elsewhere = answers
    assert known.status_code == unknown.status_code
    assert known.json() == unknown.json()
    assert known_elsewhere.json() == unknown_elsewhere.json()
    assert known_elsewhere.status_code == unknown_elsewhere.status_code == 404
