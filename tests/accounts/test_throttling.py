"""Sign-up is limited per client address, in the database or in Redis."""

import logging
import math

import pytest
from django.db import connection

from accounts.models import User
from audit.actions import Action
from tests.accounts.helpers import entries
from tests.commands import run_manage

URL = "/api/v1/auth/register/"
STRONG = "plum-orchard-lantern-93"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def two_sign_ups_an_hour(throttle_rates):
    throttle_rates(signup="2/hour")


def sign_up(client, name, *, address=ADDRESS, **headers):
    return client.post(
        URL,
        {"email": f"{name}@example.org", "password": STRONG},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


def throttle_table_keys():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM throttle_cache")
        return sorted(row[0] for row in cursor.fetchall())


def test_sign_ups_past_the_rate_are_refused_with_how_long_to_wait(
    visitor, domain, throttle_store
):
    allowed = [sign_up(visitor, name).status_code for name in ("ana", "ben")]

    refused = sign_up(visitor, "cleo")

    assert allowed == [201, 201]
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 3600
    assert refused.json() == {
        "detail": f"Too many requests. Try again in {math.ceil(wait / 60)} minutes.",
        "code": "throttled",
    }
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert len(entries(Action.USER_REGISTERED)) == 2


def test_another_address_may_still_sign_up(visitor, domain, throttle_store):
    sign_up(visitor, "ana")
    sign_up(visitor, "ben")

    response = sign_up(visitor, "cleo", address="198.51.100.20")

    assert response.status_code == 201
    assert User.objects.filter(email="cleo@example.org").exists()


def test_a_forwarded_for_header_written_by_the_client_changes_nothing(visitor, domain):
    statuses = [
        sign_up(visitor, name, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n, name in enumerate(["ana", "ben", "cleo"])
    ]

    assert statuses == [201, 201, 429]
    assert not User.objects.filter(email="cleo@example.org").exists()


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    visitor, domain, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"

    from_one = [
        sign_up(visitor, name, address=proxy, HTTP_X_FORWARDED_FOR=ADDRESS)
        for name in ("ana", "ben", "cleo")
    ]
    from_another = sign_up(
        visitor, "dora", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )

    assert [response.status_code for response in from_one] == [201, 201, 429]
    assert from_another.status_code == 201


def test_refused_sign_ups_count_too(visitor, domain):
    taken = [sign_up(visitor, "ana").status_code for _ in range(2)]

    response = sign_up(visitor, "ben")

    assert taken == [201, 400]
    assert response.status_code == 429


def test_looking_at_the_form_does_not_count(visitor, domain):
    for _ in range(3):
        visitor.get(URL, HTTP_ACCEPT="text/html", REMOTE_ADDR=ADDRESS)

    statuses = [sign_up(visitor, name).status_code for name in ("ana", "ben")]

    assert statuses == [201, 201]


def test_a_rate_lowered_below_the_count_still_says_how_long_to_wait(
    visitor, domain, throttle_rates
):
    throttle_rates(signup="3/hour")
    for name in ("ana", "ben", "cleo"):
        sign_up(visitor, name)
    throttle_rates(signup="1/hour")

    response = sign_up(visitor, "dora")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert response.json()["code"] == "throttled"


def test_a_throttled_sign_up_is_logged_once_with_address_and_scope(
    visitor, domain, caplog
):
    sign_up(visitor, "ana")
    sign_up(visitor, "ben")

    with caplog.at_level(logging.INFO, logger="accounts.throttling"):
        sign_up(visitor, "cleo")

    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "accounts.throttling"
    ] == [f"Throttled a signup request of address {ADDRESS}"]
    assert "cleo" not in caplog.text
    assert STRONG not in caplog.text


def test_without_redis_the_counts_are_in_the_database_table(visitor, domain):
    sign_up(visitor, "ana")

    assert throttle_table_keys() == [f":1:throttle_signup_{ADDRESS}"]


def test_with_redis_the_counts_are_in_redis(visitor, domain, redis_throttle_cache):
    sign_up(visitor, "ana")

    assert redis_throttle_cache() == [f"throttle_signup_{ADDRESS}"]
    assert throttle_table_keys() == []


def test_a_malformed_rate_stops_the_start_naming_the_setting():
    result = run_manage("check", environment={"SIGNUP_THROTTLE_RATE": "20 per hour"})

    assert result.returncode != 0
    assert "SIGNUP_THROTTLE_RATE is '20 per hour'" in result.stderr
