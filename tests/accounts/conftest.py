import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def lockout_on(settings):
    """Accounts are tested with the brute-force lockout on, as it runs for real."""
    settings.AXES_ENABLED = True


@pytest.fixture
def visitor():
    """An API client of someone who has not logged in."""
    return APIClient()


@pytest.fixture
def as_admin(api, admin):
    return api(admin)
