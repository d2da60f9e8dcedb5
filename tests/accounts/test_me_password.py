import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.accounts.helpers import token_client

pytestmark = pytest.mark.django_db


def test_a_password_sent_to_the_profile_is_refused_not_ignored(viewer):
    client, _ = token_client(viewer)

    response = client.patch(
        "/api/v1/auth/me/", {"password": "Brand-new-pass-42"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "password": [
            "Change your password with POST /api/v1/auth/password/, giving the old one."
        ]
    }
    viewer.refresh_from_db()
    assert viewer.check_password(TEST_PASSWORD)
