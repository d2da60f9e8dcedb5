"""
Malformed input on every route of the API: a 4xx that says what is wrong,
never a 500.

Every route is called as an admin who owns what it names, so that access
plays no part: what is tested is the handling of the input alone.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from catalogs.services import file_upload
from chat.models import Conversation
from tests.accounts.factories import AdminFactory, DomainFactory, UserFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory

HUGE = 2**70

# Every route of the API by its URL name, with the ids of `world` in it.
PATHS = {
    "auth-register": "/api/v1/auth/register/",
    "auth-login": "/api/v1/auth/login/",
    "auth-token": "/api/v1/auth/token/",
    "auth-me": "/api/v1/auth/me/",
    "auth-password": "/api/v1/auth/password/",
    "user-list": "/api/v1/users/",
    "user-detail": "/api/v1/users/{user}/",
    "domain-list": "/api/v1/domains/",
    "domain-detail": "/api/v1/domains/{domain}/",
    "catalog-list": "/api/v1/catalogs/",
    "catalog-detail": "/api/v1/catalogs/{catalog}/",
    "catalog-permission-list": "/api/v1/catalogs/{catalog}/permissions/",
    "catalog-permission-detail": "/api/v1/catalogs/{catalog}/permissions/{grant}/",
    "catalog-file-list": "/api/v1/catalogs/{catalog}/files/",
    "catalog-upload": "/api/v1/catalogs/{catalog}/uploads/",
    "upload-complete": "/api/v1/uploads/{upload}/complete/",
    "file-list": "/api/v1/files/",
    "file-detail": "/api/v1/files/{file}/",
    "file-download": "/api/v1/files/{file}/download/",
    "file-restore": "/api/v1/files/{file}/restore/",
    "file-version-list": "/api/v1/files/{file}/versions/",
    "file-version-detail": "/api/v1/files/{file}/versions/{version}/",
    "file-version-download": "/api/v1/files/{file}/versions/{version}/download/",
    "file-version-restore": "/api/v1/files/{file}/versions/{version}/restore/",
    "conversation-list": "/api/v1/conversations/",
    "conversation-detail": "/api/v1/conversations/{conversation}/",
    "conversation-messages": "/api/v1/conversations/{conversation}/messages/",
    "activity-list": "/api/v1/activity/",
}
# Routes without input worth attacking: pages, and Django's own login form.
UNTESTED_ROUTES = {
    "api-root",
    "health",
    "schema",
    "swagger-ui",
    "auth-logout",
    "login",
    "logout",
}

# The id each detail route takes last, as it is called with a bad one.
DETAIL_ROUTES = {
    "user-detail": ("get", "user"),
    "domain-detail": ("get", "domain"),
    "catalog-detail": ("get", "catalog"),
    "catalog-permission-list": ("get", "catalog"),
    "catalog-permission-detail": ("get", "grant"),
    "catalog-file-list": ("get", "catalog"),
    "catalog-upload": ("post", "catalog"),
    "upload-complete": ("post", "upload"),
    "file-detail": ("get", "file"),
    "file-download": ("get", "file"),
    "file-restore": ("post", "file"),
    "file-version-list": ("get", "file"),
    "file-version-detail": ("get", "version"),
    "file-version-download": ("get", "version"),
    "file-version-restore": ("post", "version"),
    "conversation-detail": ("get", "conversation"),
    "conversation-messages": ("get", "conversation"),
}
BAD_IDS = ["abc", "-1", "0", "1.5", "1e3", str(HUGE), "%00", "%E2%80%AE1"]

LISTS = [
    "user-list",
    "domain-list",
    "catalog-list",
    "catalog-permission-list",
    "catalog-file-list",
    "file-list",
    "file-version-list",
    "conversation-list",
    "conversation-messages",
    "activity-list",
]
BAD_PAGES = [
    ("page", "0"),
    ("page", "-1"),
    ("page", "abc"),
    ("page", "1.5"),
    ("page", "\x00"),
    ("page_size", "0"),
    ("page_size", "-1"),
    ("page_size", "abc"),
    ("page_size", "201"),
    ("page_size", str(HUGE)),
]

BAD_ID_VALUES = ["abc", "1.5", "0", "-3", str(HUGE), "1e400"]
BAD_TIMES = ["yesterday", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
BAD_FILTERS = {
    "user-list": {"role": ["owner"], "is_active": ["maybe"], "domain": ["nope.test"]},
    "domain-list": {"default_role": ["admin"], "is_active": ["1"]},
    "catalog-list": {
        "owner": BAD_ID_VALUES,
        "created_after": BAD_TIMES,
        "created_before": BAD_TIMES,
    },
    "catalog-file-list": {
        "catalog": BAD_ID_VALUES,
        "created_by": BAD_ID_VALUES,
        "trashed": ["maybe"],
        "created_after": BAD_TIMES,
        "updated_after": BAD_TIMES,
    },
    "file-list": {
        "catalog": BAD_ID_VALUES,
        "created_by": BAD_ID_VALUES,
        "trashed": ["yes"],
        "created_before": BAD_TIMES,
        "updated_after": BAD_TIMES,
    },
    "file-version-list": {
        "uploaded_by": BAD_ID_VALUES,
        "created_after": BAD_TIMES,
        "created_before": BAD_TIMES,
    },
    "conversation-list": {"catalog": BAD_ID_VALUES, "ordering": ["owner__password"]},
    "activity-list": {
        "actor": BAD_ID_VALUES,
        "action": ["nope"],
        "created_after": BAD_TIMES,
        "created_before": BAD_TIMES,
        "ordering": ["actor__password"],
    },
}

# Each route that takes a body, with the fields it reads.
WRITES = {
    ("post", "auth-register"): ["email", "password", "first_name", "last_name"],
    ("post", "auth-login"): ["email", "password"],
    ("post", "auth-token"): ["email", "password"],
    ("patch", "auth-me"): ["first_name", "last_name", "role"],
    ("post", "auth-password"): ["old_password", "new_password"],
    ("post", "user-list"): ["email", "password", "role"],
    ("patch", "user-detail"): ["email", "role", "is_active", "first_name"],
    ("post", "domain-list"): ["name", "default_role", "is_active"],
    ("patch", "domain-detail"): ["default_role", "is_active"],
    ("post", "catalog-list"): ["name", "description"],
    ("patch", "catalog-detail"): ["name", "description"],
    ("post", "catalog-permission-list"): ["email", "access"],
    ("patch", "catalog-permission-detail"): ["access"],
    ("post", "catalog-upload"): ["filename", "size", "content_type", "file"],
    ("patch", "file-detail"): ["name"],
    ("post", "file-version-restore"): ["comment"],
    ("post", "conversation-list"): ["catalog", "title"],
    ("patch", "conversation-detail"): ["title"],
    ("put", "conversation-detail"): ["title"],
    ("post", "conversation-messages"): ["content"],
}
# Bodies no route can use: not JSON, numbers JSON cannot hold, not an object.
MALFORMED_JSON = [
    b"{",
    b"\xff\xfe{}",
    b"[]",
    b'"text"',
    b"null",
    b"42",
    b'{"a": 1e400}',
    b'{"a": -1e400}',
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": ' * 100_000 + b"1" + b"}" * 100_000,
    b'{"a": ' + b"9" * 5000 + b"}",
]
# Values of the wrong type or shape, sent for each field.
ODD_VALUES = [
    None,
    True,
    [],
    ["a"],
    {},
    {"a": 1},
    0,
    -1,
    HUGE,
    1.5,
    "",
    "  ",
    "a\x00b",
    "x" * 5000,
    "../../etc/passwd",
    "report\u202efdp.exe",
    "😀",
]


def api_routes(patterns=None, prefix=""):
    """The name and route of every URL pattern under `/api/v1/`."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, route)
        elif route.startswith("api/v1/"):
            yield pattern.name, route


@pytest.fixture
def world(db):
    """An admin who owns one of everything that a route can name."""
    admin = AdminFactory(email="root@example.org")
    catalog = CatalogFactory(owner=admin)
    file = file_upload(
        catalog=catalog,
        uploader=admin,
        content=ContentFile(b"first version\n", name="notes.txt"),
    )
    ids = {
        "user": UserFactory(email="someone@example.org").pk,
        "domain": DomainFactory(name="example.net").pk,
        "catalog": catalog.pk,
        "grant": GrantFactory(catalog=catalog).pk,
        "upload": "00000000-0000-4000-8000-000000000000",
        "file": file.pk,
        "version": 1,
        "conversation": Conversation.objects.create(owner=admin, catalog=catalog).pk,
    }
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(admin)
    return client, ids


def path_of(name, ids):
    return PATHS[name].format(**ids)


def test_every_api_route_is_attacked_here():
    names = {name for name, _ in api_routes()}

    assert names - UNTESTED_ROUTES == set(PATHS)


@pytest.mark.parametrize("name", sorted(DETAIL_ROUTES))
def test_malformed_ids_in_paths_are_not_found(world, name):
    client, ids = world
    method, last = DETAIL_ROUTES[name]

    answers = {
        bad_id: getattr(client, method)(path_of(name, {**ids, last: bad_id}))
        for bad_id in BAD_IDS
    }

    statuses = {bad_id: answer.status_code for bad_id, answer in answers.items()}
    assert statuses == dict.fromkeys(BAD_IDS, 404)
    assert all("detail" in answer.json() for answer in answers.values())


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("parameter", "value"), BAD_PAGES)
def test_bad_page_parameters_are_a_400_naming_them(world, name, parameter, value):
    client, ids = world

    response = client.get(path_of(name, ids), {parameter: value})

    assert response.status_code == 400, response.content
    assert parameter in response.json()


@pytest.mark.parametrize("name", LISTS)
def test_a_page_past_the_last_is_not_found(world, name):
    client, ids = world

    response = client.get(path_of(name, ids), {"page": str(HUGE)})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("name", LISTS)
def test_good_page_parameters_still_work(world, name):
    client, ids = world

    response = client.get(path_of(name, ids), {"page": "last", "page_size": "200"})

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize(
    ("name", "parameter", "value"),
    [
        (name, parameter, value)
        for name, filters in BAD_FILTERS.items()
        for parameter, values in filters.items()
        for value in values
    ],
)
def test_bad_filter_values_are_a_400_naming_them(world, name, parameter, value):
    client, ids = world

    response = client.get(path_of(name, ids), {parameter: value})

    assert response.status_code == 400, response.content
    assert parameter in response.json()


@pytest.mark.parametrize("name", LISTS)
def test_null_characters_in_any_query_parameter_are_never_a_500(world, name):
    client, ids = world
    parameters = ["search", "ordering", "format", *BAD_FILTERS.get(name, {})]

    statuses = {
        parameter: client.get(path_of(name, ids), {parameter: "a\x00b"}).status_code
        for parameter in parameters
    }

    assert all(status < 500 for status in statuses.values()), statuses


@pytest.mark.parametrize(("method", "name"), sorted(WRITES))
def test_malformed_json_bodies_are_a_400(world, method, name):
    client, ids = world

    statuses = [
        client.generic(
            method.upper(),
            path_of(name, ids),
            body,
            content_type="application/json",
        ).status_code
        for body in MALFORMED_JSON
    ]

    assert statuses == [400] * len(MALFORMED_JSON)


@pytest.mark.parametrize(("method", "name"), sorted(WRITES))
def test_odd_field_values_are_refused_or_taken_never_a_500(world, method, name):
    client, ids = world

    failures = []
    for field in WRITES[method, name]:
        for value in ODD_VALUES:
            response = getattr(client, method)(
                path_of(name, ids), {field: value}, format="json"
            )
            if response.status_code >= 500 or (
                response.status_code == 400 and not isinstance(response.json(), dict)
            ):
                failures.append((field, value, response.status_code))

    assert failures == []


def test_a_number_json_cannot_hold_names_the_problem(world):
    client, ids = world

    response = client.generic(
        "POST",
        path_of("conversation-list", ids),
        b'{"catalog": 1e400}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "JSON parse error - the number 1e400 is too large"
    }
    assert Conversation.objects.count() == 1


def test_a_deeply_nested_body_names_the_problem(world):
    client, ids = world

    response = client.generic(
        "POST",
        path_of("catalog-list", ids),
        b"[" * 100_000 + b"]" * 100_000,
        content_type="application/json",
    )

    assert response.json() == {
        "detail": "JSON parse error - the data is nested too deeply."
    }


def test_bad_pages_say_what_to_send(world):
    client, ids = world

    page = client.get(path_of("file-list", ids), {"page": "0"})
    size = client.get(path_of("file-list", ids), {"page_size": "-1"})

    assert page.json() == {"page": "Use a whole number from 1 up."}
    assert size.json() == {"page_size": "Use a whole number from 1 to 200."}


def test_out_of_range_times_say_what_to_send(world):
    client, ids = world

    response = client.get(
        path_of("file-list", ids), {"created_after": "0001-01-01T00:00:00+01:00"}
    )

    assert response.json() == {
        "created_after": ["Enter a date and time between the years 1 and 9999 in UTC."]
    }


def test_a_conversation_filter_does_not_tell_which_catalogs_exist(db):
    someone_elses = CatalogFactory()
    client = APIClient()
    client.force_authenticate(UserFactory())

    existing = client.get("/api/v1/conversations/", {"catalog": someone_elses.pk})
    missing = client.get("/api/v1/conversations/", {"catalog": someone_elses.pk + 1})

    assert existing.status_code == missing.status_code == 200
    assert existing.json() == missing.json()


MULTIPART_BODY = (
    b"--x\r\n"
    b'Content-Disposition: form-data; name="comment"\r\n\r\n'
    b"\xff\xfe\xdc\x00 not text\r\n"
    b"--x\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
    b"abc\r\n"
    b"--x--\r\n"
)


@pytest.mark.parametrize("name", ["catalog-file-list", "file-version-list"])
@pytest.mark.parametrize("charset", ["idna", "punycode", "bz2_codec", "rot13"])
def test_a_multipart_body_its_charset_cannot_decode_is_a_400(world, name, charset):
    client, ids = world

    response = client.generic(
        "POST",
        path_of(name, ids),
        MULTIPART_BODY,
        content_type=f"multipart/form-data; boundary=x; charset={charset}",
    )

    assert response.status_code == 400, response.content
    assert "charset" in response.json()["detail"]
