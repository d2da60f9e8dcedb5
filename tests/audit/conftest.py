import pytest

from tests.accounts.factories import AdminFactory
from tests.audit.helpers import Clock


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def admin_user(db):
    """A user with the admin role, made by the accounts factory."""
    return AdminFactory(email="root@example.org")


@pytest.fixture
def admin_client(client, admin_user):
    """A browser logged in as `admin_user`."""
    client.force_login(admin_user)
    return client
