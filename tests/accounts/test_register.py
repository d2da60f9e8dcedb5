import pytest

from accounts.models import Role, User
from audit.actions import Action
from tests.accounts.factories import DomainFactory, UserFactory
from tests.accounts.helpers import entries

URL = "/api/v1/auth/register/"
STRONG = "plum-orchard-lantern-93"


@pytest.fixture
def editors_domain(db):
    return DomainFactory(name="example.org", default_role=Role.EDITOR)


def test_sign_up_gives_the_domain_and_its_default_role(visitor, editors_domain):
    response = visitor.post(
        URL,
        {"email": " Ana@Example.ORG ", "password": STRONG, "first_name": "Ana"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "ana@example.org"
    assert body["domain"] == "example.org"
    assert body["role"] == Role.EDITOR
    assert "password" not in body
    user = User.objects.get(email="ana@example.org")
    assert user.check_password(STRONG)
    assert user.first_name == "Ana"
    [entry] = entries(Action.USER_REGISTERED)
    assert entry.actor == user
    assert entry.target_id == str(user.pk)


def test_new_user_can_get_a_token_at_once(visitor, editors_domain):
    visitor.post(URL, {"email": "ana@example.org", "password": STRONG}, format="json")

    response = visitor.post(
        "/api/v1/auth/token/", {"email": "ana@example.org", "password": STRONG}
    )

    assert response.status_code == 201


def test_the_same_address_in_another_case_is_refused(visitor, editors_domain):
    UserFactory(email="ana@example.org")

    response = visitor.post(
        URL, {"email": "ANA@example.org", "password": STRONG}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1


@pytest.mark.parametrize(
    "email",
    ["ana@example.net", "ana@mail.example.org", "ana@example.org.evil.net"],
)
def test_an_address_of_a_domain_not_allowed_is_refused(visitor, editors_domain, email):
    response = visitor.post(URL, {"email": email, "password": STRONG}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "domain_not_allowed"
    assert "not allowed" in response.json()["detail"]
    assert not User.objects.exists()


def test_an_address_of_an_inactive_domain_is_refused(visitor, db):
    DomainFactory(name="example.org", is_active=False)

    response = visitor.post(
        URL, {"email": "ana@example.org", "password": STRONG}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "domain_not_allowed"
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email", ["ana", "ana@", "@example.org", "ana@@example.org", "ana example@x.org"]
)
def test_a_malformed_address_is_a_field_error(visitor, editors_domain, email):
    response = visitor.post(URL, {"email": email, "password": STRONG}, format="json")

    assert response.status_code == 400
    assert response.json()["email"] == ["Enter a valid email address."]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Xy7-pq", "too short"),
        ("password123", "too common"),
        ("83920174651", "entirely numeric"),
        ("ana.lindqvist", "too similar"),
    ],
)
def test_a_weak_password_is_refused_by_djangos_validators(
    visitor, editors_domain, password, reason
):
    response = visitor.post(
        URL,
        {"email": "ana.lindqvist@example.org", "password": password},
        format="json",
    )

    assert response.status_code == 400
    assert any(reason in message for message in response.json()["password"])
    assert not User.objects.exists()


def test_missing_fields_are_named(visitor, editors_domain):
    response = visitor.post(URL, {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "email": ["This field is required."],
        "password": ["This field is required."],
    }


def test_wrong_types_are_field_errors(visitor, editors_domain):
    response = visitor.post(
        URL,
        {"email": {"a": 1}, "password": True, "first_name": ["Ana"]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password", "first_name"}
    assert response.json()["password"] == ["Not a valid string."]


def test_a_body_that_is_not_an_object_is_refused(visitor, editors_domain):
    response = visitor.post(URL, ["ana@example.org", STRONG], format="json")

    assert response.status_code == 400
    assert "Expected a dictionary" in response.json()["non_field_errors"][0]


def test_sign_up_can_be_closed(visitor, editors_domain, settings):
    settings.ALLOW_SIGNUP = False

    response = visitor.post(
        URL, {"email": "ana@example.org", "password": STRONG}, format="json"
    )

    assert response.status_code == 403
    assert "Sign-up is closed" in response.json()["detail"]
    assert not User.objects.exists()
