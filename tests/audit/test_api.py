import csv
import io

import pytest
from django.utils.dateparse import parse_datetime

from audit.actions import Action
from audit.models import ActivityLog
from audit.services import Target
from tests.accounts.factories import DomainFactory, EditorFactory, UserFactory
from tests.audit.factories import ActivityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/activity/"


def sequences(response):
    return [entry["sequence"] for entry in response.json()["results"]]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def log():
    """Five entries by two people and the system."""
    ada = UserFactory(email="ada@example.org")
    bob = UserFactory(email="bob@example.org")
    domain = DomainFactory(name="example.net")
    made = [
        ActivityFactory(action=action, actor=actor, target=target)
        for action, actor, target in [
            (Action.AUTH_LOGIN, ada, ada),
            (Action.DOMAIN_CREATED, ada, domain),
            (Action.AUTH_LOGIN, bob, bob),
            (Action.DOMAIN_UPDATED, bob, domain),
            (Action.AUTH_LOGIN_FAILED, None, None),
        ]
    ]
    return {"ada": ada, "bob": bob, "domain": domain, "entries": made}


def test_anonymous_visitors_are_asked_to_log_in(client, log):
    response = client.get(URL)

    # 401 once token authentication comes first, 403 with sessions alone.
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Authentication credentials were not provided."


@pytest.mark.parametrize("factory", [UserFactory, EditorFactory])
def test_users_without_the_admin_role_are_refused(client, log, factory):
    client.force_login(factory())

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only admins may read the activity log."


def test_admins_read_the_log_newest_first(admin_api, log):
    response = admin_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert body["next"] is None and body["previous"] is None
    assert sequences(response) == [5, 4, 3, 2, 1]
    newest = body["results"][1]
    assert newest["action"] == "domain.updated"
    assert newest["action_label"] == "Updated a domain"
    assert newest["actor"] == log["bob"].pk
    assert newest["actor_email"] == "bob@example.org"
    assert newest["target_type"] == "accounts.domain"
    assert newest["target_id"] == str(log["domain"].pk)
    assert newest["target_label"] == "example.net"
    assert parse_datetime(newest["created_at"]) == log["entries"][3].created_at
    assert newest["hash"] == log["entries"][3].hash


def test_the_list_is_paginated(admin_api, log):
    response = admin_api.get(URL, {"page_size": 2, "page": 2})

    assert sequences(response) == [3, 2]
    assert response.json()["next"].endswith("page=3&page_size=2")


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("created_at", [1, 2, 3, 4, 5]), ("-sequence", [5, 4, 3, 2, 1])],
)
def test_the_list_can_be_ordered_by_time_or_sequence(
    admin_api, log, ordering, expected
):
    response = admin_api.get(URL, {"ordering": ordering})

    assert sequences(response) == expected


def test_an_unknown_ordering_is_refused(admin_api, log):
    response = admin_api.get(URL, {"ordering": "actor_email"})

    assert response.status_code == 400
    assert "Cannot order by actor_email" in response.json()["ordering"]


def test_filter_by_actor(admin_api, log):
    response = admin_api.get(URL, {"actor": log["ada"].pk})

    assert sequences(response) == [2, 1]


def test_filter_by_actor_email(admin_api, log):
    response = admin_api.get(URL, {"actor_email": "BOB@example.org"})

    assert sequences(response) == [4, 3]


def test_entries_of_a_deleted_user_are_still_found(admin_api, log):
    ada_id = log["ada"].pk
    log["ada"].delete()

    response = admin_api.get(URL, {"actor": ada_id})

    assert sequences(response) == [2, 1]


def test_filter_by_one_or_more_actions(admin_api, log):
    one = admin_api.get(URL, {"action": "auth.login"})
    two = admin_api.get(URL, {"action": ["auth.login", "auth.login_failed"]})

    assert sequences(one) == [3, 1]
    assert sequences(two) == [5, 3, 1]


def test_filter_by_target(admin_api, log):
    response = admin_api.get(
        URL, {"target_type": "accounts.domain", "target_id": log["domain"].pk}
    )

    assert sequences(response) == [4, 2]


def test_filter_by_times_from_the_first_up_to_the_second(admin_api, log):
    second, fourth = log["entries"][1], log["entries"][3]

    response = admin_api.get(
        URL,
        {
            "created_after": second.created_at.isoformat(),
            "created_before": fourth.created_at.isoformat(),
        },
    )

    assert sequences(response) == [3, 2]


def test_a_date_alone_filters_from_its_midnight_utc(admin_api, log):
    day = log["entries"][0].created_at.date().isoformat()

    after = admin_api.get(URL, {"created_after": day})
    before = admin_api.get(URL, {"created_before": day})

    assert sequences(after) == [5, 4, 3, 2, 1]
    assert sequences(before) == []


def test_search_by_email_or_target(admin_api, log):
    response = admin_api.get(URL, {"search": "example.net"})

    assert sequences(response) == [4, 2]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"action": "catalog.eaten"}, "action", "Select a valid choice"),
        ({"actor": "1.5"}, "actor", "Enter a whole number."),
        ({"created_after": "yesterday"}, "created_after", "Enter a valid date/time."),
    ],
)
def test_bad_filter_values_are_refused(admin_api, log, params, field, message):
    response = admin_api.get(URL, params)

    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_csv_export_streams_every_matching_entry(admin_api, log):
    response = admin_api.get(URL, {"format": "csv", "action": "auth.login"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    export = ActivityLog.objects.get(action=Action.ACTIVITY_EXPORTED)
    assert response["Content-Disposition"] == (
        f'attachment; filename="activity-{export.created_at:%Y%m%d-%H%M%S}.csv"'
    )
    rows = csv_rows(response)
    assert [row["sequence"] for row in rows] == ["3", "1"]
    assert rows[0]["actor_email"] == "bob@example.org"
    assert rows[0]["created_at"] == log["entries"][2].created_at.isoformat()
    assert rows[0]["hash"] == log["entries"][2].hash
    assert list(rows[0]) == [
        "sequence",
        "created_at",
        "actor",
        "actor_email",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "details",
        "ip_address",
        "user_agent",
        "request_id",
        "previous_hash",
        "hash",
    ]


def test_csv_export_follows_the_ordering_and_keeps_json_columns(admin_api, log):
    ActivityFactory(changes={"name": ["a", "b"]})

    response = admin_api.get(URL, {"format": "csv", "ordering": "sequence"})

    rows = csv_rows(response)
    assert [row["sequence"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[-1]["changes"] == '{"name": ["a", "b"]}'


def test_csv_export_is_also_chosen_by_the_accept_header(admin_api, log):
    response = admin_api.get(URL, HTTP_ACCEPT="text/csv")

    assert len(csv_rows(response)) == 5


def test_csv_cells_are_never_spreadsheet_formulas(admin_api, log):
    ActivityFactory(target=Target(type="catalogs.file", id="9", label="=CMD()"))

    response = admin_api.get(URL, {"format": "csv", "target_id": "9"})

    assert csv_rows(response)[0]["target_label"] == "'=CMD()"


def test_csv_export_is_recorded(admin_api, admin_user, log):
    b"".join(admin_api.get(URL, {"format": "csv", "actor": 7}).streaming_content)

    entry = ActivityLog.objects.get(action=Action.ACTIVITY_EXPORTED)
    assert entry.actor_id == admin_user.pk
    assert entry.details == {"query": "format=csv&actor=7"}


def test_csv_export_is_for_admins_only(client, log):
    client.force_login(UserFactory())

    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 403
    assert response.content.decode() == (
        "detail\r\nOnly admins may read the activity log.\r\n"
    )
    assert not ActivityLog.objects.filter(action=Action.ACTIVITY_EXPORTED).exists()


def test_csv_export_refuses_bad_filters_in_csv(admin_api, log):
    response = admin_api.get(URL, {"format": "csv", "actor": "ada"})

    assert response.status_code == 400
    assert response.content.decode() == "actor\r\nEnter a whole number.\r\n"


def test_the_api_root_and_schema_list_the_activity_log(client):
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert root.json()["activity"] == "http://testserver/api/v1/activity/"
    parameters = {
        parameter["name"]
        for parameter in schema.json()["paths"]["/api/v1/activity/"]["get"][
            "parameters"
        ]
    }
    assert {
        "actor",
        "action",
        "target_type",
        "target_id",
        "created_after",
    } <= parameters
