from io import StringIO

from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from audit.actions import Action
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.accounts.helpers import entries

LOGIN = "/api/v1/auth/login/"
TOKEN = "/api/v1/auth/token/"


def attempt(email, password, *, ip="198.51.100.7", url=LOGIN):
    client = APIClient(REMOTE_ADDR=ip)
    return client.post(url, {"email": email, "password": password})


def fail(times, email, *, ips=None):
    ips = ips or ["198.51.100.7"] * times
    return [attempt(email, "wrong-password", ip=ip).status_code for ip in ips]


def test_an_account_is_locked_after_five_failures_from_any_address(viewer, settings):
    ips = [f"203.0.113.{n}" for n in range(1, 6)]
    spellings = [
        "vera@example.org",
        "VERA@example.org",
        " Vera@Example.org",
        "vera@EXAMPLE.ORG ",
        "Vera@example.org",
    ]

    answers = [
        attempt(email, "wrong-password", ip=ip).status_code
        for email, ip in zip(spellings, ips, strict=True)
    ]
    locked = attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.200")

    assert settings.AXES_FAILURE_LIMIT == 5
    assert answers == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {
        "detail": "Too many failed logins for this account or from this address. "
        "Try again in 15 minutes.",
        "code": "locked_out",
    }


def test_an_address_is_locked_after_five_failures_for_any_accounts(viewer):
    answers = [
        attempt(f"someone{n}@example.org", "wrong-password").status_code
        for n in range(5)
    ]

    from_there = attempt(viewer.email, TEST_PASSWORD)
    from_elsewhere = attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.1")

    assert answers == [400, 400, 400, 400, 429]
    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 200


def test_tokens_are_locked_out_like_sessions(viewer):
    fail(5, viewer.email)

    response = attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.1", url=TOKEN)

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_the_lockout_is_recorded(viewer):
    fail(5, viewer.email)
    attempt(viewer.email, TEST_PASSWORD)

    lockouts = entries(Action.AUTH_LOCKED_OUT)
    assert len(lockouts) == 2, "the lockout, then the attempt it refused"
    assert {entry.target_id for entry in lockouts} == {str(viewer.pk)}
    assert len(entries(Action.AUTH_LOGIN_FAILED)) == 5
    assert entries(Action.AUTH_LOGIN) == []


def test_refused_attempts_during_a_lockout_do_not_extend_it(viewer):
    fail(5, viewer.email)
    [locked_at] = AccessAttempt.objects.values_list("attempt_time", flat=True)

    fail(3, viewer.email)

    [attempt_row] = AccessAttempt.objects.all()
    assert attempt_row.attempt_time == locked_at
    assert attempt_row.failures_since_start == 5


def test_the_lockout_ends_after_the_cool_off(viewer, settings):
    fail(5, viewer.email)
    assert attempt(viewer.email, TEST_PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME
    )

    assert attempt(viewer.email, TEST_PASSWORD).status_code == 200


def test_the_lockout_lasts_the_whole_cool_off(viewer, settings):
    fail(5, viewer.email)
    almost = settings.AXES_COOLOFF_TIME - settings.AXES_COOLOFF_TIME / 10

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - almost)

    assert attempt(viewer.email, TEST_PASSWORD).status_code == 429


def test_failures_of_other_accounts_elsewhere_do_not_count(viewer):
    other = UserFactory(email="other@example.org")
    fail(4, other.email, ips=[f"203.0.113.{n}" for n in range(4)])

    assert fail(4, viewer.email, ips=[f"192.0.2.{n}" for n in range(4)]) == [400] * 4
    assert attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.99").status_code == 200


def test_the_admin_login_page_says_why_it_refuses(admin):
    browser = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(5):
        browser.post("/admin/login/", {"username": admin.email, "password": "nope"})

    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": admin.email, "password": TEST_PASSWORD},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 429
    assert "text/html" in response["Content-Type"]
    assert b"Too many failed logins" in response.content
    assert response["Retry-After"] == "900"
    assert browser.get("/admin/").status_code == 302


def test_the_browsable_api_login_form_answers_a_page_or_json(viewer):
    for _ in range(5):
        Client().post(
            "/api/v1/api-auth/login/",
            {"username": viewer.email, "password": "nope"},
        )

    page = Client().post(
        "/api/v1/api-auth/login/",
        {"username": viewer.email, "password": TEST_PASSWORD},
        HTTP_ACCEPT="text/html,application/xhtml+xml",
    )
    data = Client().post(
        "/api/v1/api-auth/login/",
        {"username": viewer.email, "password": TEST_PASSWORD},
        HTTP_ACCEPT="*/*",
    )

    assert page.status_code == 429
    assert b"Too many failed logins" in page.content
    assert data.status_code == 429
    assert data.json()["code"] == "locked_out"


def test_a_wrong_old_password_counts_towards_the_lockout(viewer):
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    client.force_authenticate(viewer)
    answers = [
        client.post(
            "/api/v1/auth/password/",
            {"old_password": "guess", "new_password": "plum-orchard-lantern-93"},
        ).status_code
        for _ in range(5)
    ]

    assert answers == [400, 400, 400, 400, 429]
    assert attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.1").status_code == 429


def test_axes_reset_username_lifts_an_accounts_lockout(viewer):
    fail(5, viewer.email, ips=[f"203.0.113.{n}" for n in range(1, 6)])

    call_command("axes_reset_username", viewer.email, stdout=StringIO())

    assert attempt(viewer.email, TEST_PASSWORD, ip="192.0.2.1").status_code == 200


def test_axes_reset_ip_lifts_an_addresses_lockout(viewer):
    for n in range(5):
        attempt(f"someone{n}@example.org", "wrong-password")

    call_command("axes_reset_ip", "198.51.100.7", stdout=StringIO())

    assert attempt(viewer.email, TEST_PASSWORD).status_code == 200


def test_axes_reset_lifts_every_lockout(viewer):
    fail(5, viewer.email)

    call_command("axes_reset", stdout=StringIO())

    assert attempt(viewer.email, TEST_PASSWORD).status_code == 200
