from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit.actions import Action
from audit.models import ActivityLog
from tests.audit.factories import ActivityFactory
from tests.audit.helpers import tamper, verify

pytestmark = pytest.mark.django_db


def prune(before):
    out = StringIO()
    call_command("prune_activity_log", "--before", before, stdout=out)
    return out.getvalue()


def recorded_at(entry):
    """The time `entry` was recorded: a cut-off that removes what came before."""
    return entry.created_at.isoformat()


@pytest.fixture
def history():
    """Five entries, recorded one after the other."""
    return [ActivityFactory(details={"number": number}) for number in range(1, 6)]


def test_pruning_removes_old_entries_and_keeps_the_chain_verifiable(history):
    output = prune(recorded_at(history[2]))

    assert "Removed 2 entries, #1 to #2. The chain now starts at #3" in output
    assert list(ActivityLog.objects.values_list("sequence", flat=True)) == [
        3,
        4,
        5,
        6,
    ]
    assert "intact: 4 entries, #3 to #6" in verify()


def test_pruning_records_what_it_removed(history):
    prune(recorded_at(history[2]))

    anchor = ActivityLog.objects.get(action=Action.ACTIVITY_PRUNED)
    assert anchor.sequence == 6
    assert anchor.actor_id is None
    assert anchor.details == {
        "before": recorded_at(history[2]),
        "removed": 2,
        "first_removed_sequence": 1,
        "last_removed_sequence": 2,
        "last_removed_hash": history[1].hash,
    }


def test_pruning_again_starts_from_the_last_pruning(history):
    prune(recorded_at(history[2]))
    ActivityFactory()

    output = prune(recorded_at(history[4]))

    assert "Removed 2 entries, #3 to #4." in output
    assert list(ActivityLog.objects.values_list("action", "sequence")) == [
        ("user.updated", 5),
        ("activity.pruned", 6),
        ("user.updated", 7),
        ("activity.pruned", 8),
    ]
    assert "intact: 4 entries, #5 to #8" in verify()


def test_pruning_everything_leaves_its_own_entry_to_chain_on(history):
    prune(timezone.now().isoformat())
    ActivityFactory()

    assert "intact: 2 entries, #6 to #7" in verify()


def test_nothing_old_enough_is_left_alone(history):
    output = prune("2023-12-31")

    assert "No entries were recorded before 2023-12-31T00:00:00+00:00." in output
    assert ActivityLog.objects.count() == 5


def test_pruning_twice_to_the_same_date_removes_nothing_more(history):
    prune(recorded_at(history[2]))

    assert "No entries were recorded before" in prune(recorded_at(history[2]))
    assert ActivityLog.objects.count() == 4


def test_removing_the_first_entry_left_after_pruning_is_found(history):
    prune(recorded_at(history[2]))

    tamper("DELETE FROM audit_activitylog WHERE sequence = 3")

    with pytest.raises(CommandError, match="Entry #3 is missing"):
        verify()


def test_an_old_entry_put_back_before_the_start_is_found(history):
    prune(recorded_at(history[2]))
    tamper(
        "UPDATE audit_activitylog SET sequence = 2 WHERE sequence = 3",
    )

    with pytest.raises(CommandError, match="#2 .* comes before the start .* #3"):
        verify()


def test_pruning_refuses_to_erase_a_tampered_entry(history):
    tamper("UPDATE audit_activitylog SET target_label = 'x' WHERE sequence = 1")

    with pytest.raises(CommandError, match="Not pruned: .* Entry #1 .* its hash"):
        prune(recorded_at(history[2]))

    assert ActivityLog.objects.count() == 5


def test_pruning_refuses_when_the_first_entry_kept_no_longer_links(history):
    tamper(
        "UPDATE audit_activitylog SET previous_hash = %s WHERE sequence = 3", ["0" * 64]
    )

    with pytest.raises(CommandError, match="Entry #3 .* does not link"):
        prune(recorded_at(history[2]))


def test_a_cutoff_in_the_future_is_refused(history):
    with pytest.raises(CommandError, match="must be in the past"):
        prune((timezone.now() + timedelta(days=1)).isoformat())

    assert ActivityLog.objects.count() == 5


@pytest.mark.parametrize("value", ["last year", "2025-02-30", ""])
def test_a_cutoff_that_is_not_a_date_is_refused(value):
    with pytest.raises(CommandError, match="Give a date as YYYY-MM-DD"):
        prune(value)
