import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit.chain import entry_hash
from audit.models import ActivityLog
from tests.audit.factories import ActivityFactory
from tests.audit.helpers import tamper, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    return [ActivityFactory(details={"n": n}) for n in range(1, 4)]


def forge(**fields):
    """Insert a row the way a raw INSERT would, past every guard of the model."""
    row = {
        "actor_email": "",
        "action": "auth.login",
        "target_type": "",
        "target_id": "",
        "target_label": "",
        "changes": "{}",
        "details": "{}",
        "user_agent": "",
        "request_id": "",
        "created_at": connection.ops.adapt_datetimefield_value(timezone.now()),
        **fields,
    }
    columns = ", ".join(row)
    values = ", ".join(["%s"] * len(row))
    sql = f"INSERT INTO audit_activitylog ({columns}) VALUES ({values})"  # noqa: S608
    tamper(sql, list(row.values()))


def test_an_intact_log_verifies_and_prints_its_head(entries):
    output = verify()

    assert "The activity log is intact: 3 entries, #1 to #3." in output
    assert f"Head: 3:{entries[-1].hash}" in output


def test_an_empty_log_verifies():
    assert "The activity log is empty." in verify()


def test_the_log_is_read_in_chunks(entries):
    ActivityFactory.create_batch(4)

    assert "intact: 7 entries" in verify("--chunk-size", "2")


def test_an_entry_edited_in_the_database_is_found(entries):
    tamper("UPDATE audit_activitylog SET details = %s WHERE sequence = 2", ['{"n": 9}'])

    with pytest.raises(CommandError, match=r"Entry #2 \(user.updated at .*\) does not"):
        verify()


def test_an_edited_actor_is_found(entries):
    tamper("UPDATE audit_activitylog SET actor_email = 'mallory@example.org'")

    with pytest.raises(CommandError, match="Entry #1 .* does not match its hash"):
        verify()


def test_an_entry_edited_and_rehashed_breaks_the_link_of_the_next(entries):
    second = ActivityLog.objects.get(sequence=2)
    second.details = {"n": 9}
    tamper(
        "UPDATE audit_activitylog SET details = %s, hash = %s WHERE sequence = 2",
        ['{"n": 9}', entry_hash(second)],
    )

    with pytest.raises(CommandError, match="Entry #3 .* does not link to the entry"):
        verify()


def test_an_entry_deleted_in_the_database_is_found(entries):
    tamper("DELETE FROM audit_activitylog WHERE sequence = 2")

    with pytest.raises(CommandError, match="Entry #2 is missing, removed: the next"):
        verify()


def test_the_first_entries_deleted_are_found(entries):
    tamper("DELETE FROM audit_activitylog WHERE sequence <= 2")

    with pytest.raises(CommandError, match="Entries #1 to #2 are missing"):
        verify()


def test_an_entry_inserted_at_the_end_is_found(entries):
    forge(sequence=4, previous_hash=entries[-1].hash, hash="f" * 64)

    with pytest.raises(CommandError, match="Entry #4 .* does not match its hash"):
        verify()


def test_an_entry_inserted_in_the_middle_is_found(entries):
    # Make room after #1, then insert an entry whose own hash is right.
    tamper("UPDATE audit_activitylog SET sequence = sequence + 1000 WHERE sequence > 1")
    tamper("UPDATE audit_activitylog SET sequence = sequence - 999 WHERE sequence > 1")
    forged = {
        "sequence": 2,
        "previous_hash": entries[0].hash,
        "created_at": timezone.now(),
        "actor_id": None,
        "actor_email": "",
        "action": "auth.login",
        "target_type": "",
        "target_id": "",
        "target_label": "",
        "changes": {},
        "details": {},
        "ip_address": None,
        "user_agent": "",
        "request_id": "",
    }
    forge(
        **{**forged, "changes": "{}", "details": "{}"},
        hash=entry_hash(forged),
    )

    with pytest.raises(CommandError, match="Entry #3 .* does not link"):
        verify()


def test_dropping_the_newest_entries_is_found_from_a_noted_head(entries):
    head = f"3:{entries[-1].hash}"
    tamper("DELETE FROM audit_activitylog WHERE sequence = 3")

    with pytest.raises(CommandError, match="#3 noted earlier is missing.*ends at #2"):
        verify("--head", head)


def test_a_rewritten_head_is_found(entries):
    head = f"3:{entries[-1].hash}"
    last = ActivityLog.objects.get(sequence=3)
    last.details = {"n": 9}
    tamper(
        "UPDATE audit_activitylog SET details = %s, hash = %s WHERE sequence = 3",
        ['{"n": 9}', entry_hash(last)],
    )

    with pytest.raises(CommandError, match="#3 is not the one noted earlier"):
        verify("--head", head)


def test_a_noted_head_still_there_verifies(entries):
    ActivityFactory()

    assert "intact: 4 entries" in verify("--head", f"#2:{entries[1].hash}")


def test_a_chunk_size_below_one_is_refused(entries):
    with pytest.raises(CommandError, match="above zero, not '0'"):
        verify("--chunk-size", "0")


def test_a_malformed_head_is_refused(entries):
    with pytest.raises(CommandError, match="Give the head as SEQUENCE:HASH"):
        verify("--head", "latest")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps any text")
def test_an_entry_made_unreadable_is_found(entries):
    tamper("UPDATE audit_activitylog SET created_at = 'soon' WHERE sequence = 2")

    with pytest.raises(CommandError, match="entry after #1 cannot be read"):
        verify()


def test_a_forged_pruning_entry_is_found(entries):
    forge(
        sequence=4,
        previous_hash=entries[-1].hash,
        hash="f" * 64,
        action="activity.pruned",
    )

    with pytest.raises(CommandError, match="pruned entry, where the chain starts"):
        verify()
