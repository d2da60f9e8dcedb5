import pytest


@pytest.fixture
def admin_api(api, admin_user):
    """An API client of pytest-django's `admin_user`, with no login recorded."""
    return api(admin_user)
