import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import (
    AdminFactory,
    DomainFactory,
    EditorFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def lockout_on(settings):
    """Accounts are tested with the brute-force lockout on, as it runs for real."""
    settings.AXES_ENABLED = True


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def domain(db):
    return DomainFactory(name="example.org")


@pytest.fixture
def admin(domain):
    return AdminFactory(email="ada@example.org", first_name="Ada")


@pytest.fixture
def editor(domain):
    return EditorFactory(email="eddie@example.org", first_name="Eddie")


@pytest.fixture
def viewer(domain):
    return UserFactory(email="vera@example.org", first_name="Vera", last_name="Lind")


@pytest.fixture
def as_admin(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client
