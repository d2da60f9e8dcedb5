from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import ActivityLog
from tests.accounts.factories import TEST_PASSWORD


def token_client(user):
    """A client that sends a fresh API token of `user`, and the token."""
    token, secret = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client, token


def session_client(user, password=TEST_PASSWORD):
    """A client logged in through the API's session login."""
    client = APIClient()
    response = client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": password}
    )
    assert response.status_code == 200, response.content
    return client


def entries(action, **filters):
    """The activity log entries of one action, oldest first."""
    return list(ActivityLog.objects.filter(action=action, **filters))
