import pytest
from django.db import DatabaseError, connection, transaction

from audit.actions import Action
from audit.models import ActivityLog, AppendOnlyError
from tests.accounts.factories import UserFactory
from tests.audit.factories import ActivityFactory
from tests.audit.helpers import verify

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_saved_again():
    entry = ActivityFactory(details={"note": "first"})

    entry.details = {"note": "second"}
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        entry.save()

    assert ActivityLog.objects.get(pk=entry.pk).details == {"note": "first"}


def test_an_entry_cannot_be_deleted():
    entry = ActivityFactory()

    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        entry.delete()

    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk():
    ActivityFactory.create_batch(2)

    with pytest.raises(AppendOnlyError):
        ActivityLog.objects.update(action=Action.AUTH_LOGIN)
    with pytest.raises(AppendOnlyError):
        ActivityLog.objects.all().delete()
    entries = list(ActivityLog.objects.all())
    with pytest.raises(AppendOnlyError):
        ActivityLog.objects.bulk_update(entries, ["action"])

    assert ActivityLog.objects.filter(action=Action.USER_UPDATED).count() == 2


def test_entries_are_only_added_through_activity_record():
    with pytest.raises(AppendOnlyError, match="activity_record"):
        ActivityLog.objects.create(action=Action.AUTH_LOGIN, sequence=1)
    with pytest.raises(AppendOnlyError, match="activity_record"):
        ActivityLog.objects.bulk_create([ActivityLog(action=Action.AUTH_LOGIN)])

    assert not ActivityLog.objects.exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_activitylog SET target_label = 'forged'",
        "DELETE FROM audit_activitylog",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(sql):
    ActivityFactory(target=UserFactory())

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert ActivityLog.objects.get().target_label.startswith("user")


def test_deleting_a_user_keeps_the_entries_about_them():
    user = UserFactory(email="leaver@example.org")
    first = ActivityFactory(actor=user)
    about = ActivityFactory(target=user)
    user_id = user.pk

    user.delete()

    first = ActivityLog.objects.get(pk=first.pk)
    assert first.actor_id == user_id
    assert first.actor_email == "leaver@example.org"
    assert ActivityLog.objects.filter(actor=user_id).count() == 1
    assert ActivityLog.objects.get(pk=about.pk).target_label == "leaver@example.org"
    assert "intact: 2 entries" in verify()


def test_deactivating_a_user_keeps_the_entries_about_them():
    user = UserFactory()
    ActivityFactory(actor=user)

    user.is_active = False
    user.save()

    assert ActivityLog.objects.get().actor_id == user.pk
