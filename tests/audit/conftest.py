import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import AdminFactory


@pytest.fixture
def admin_user(db):
    """A user with the admin role, made by the accounts factory."""
    return AdminFactory(email="root@example.org")


@pytest.fixture
def admin_client(client, admin_user):
    """A browser logged in as `admin_user`, which records an `auth.login`."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def admin_api(admin_user):
    """An API client authenticated as `admin_user`, with no login recorded."""
    client = APIClient()
    client.force_authenticate(admin_user)
    return client
