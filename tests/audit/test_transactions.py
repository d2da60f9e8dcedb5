import contextlib
import threading

import pytest
from django.db import connection, transaction

from accounts.models import Domain
from audit.actions import Action
from audit.models import ActivityLog
from audit.services import activity_record
from config.request_context import RequestContext, current_request
from tests.accounts.factories import DomainFactory
from tests.audit.helpers import verify

pytestmark = pytest.mark.django_db(transaction=True)


class Interrupted(Exception):
    pass


def rename(domain, name):
    """A change and its entry, the way a service makes them."""
    old = domain.name
    domain.name = name
    domain.save()
    activity_record(
        action=Action.DOMAIN_UPDATED, target=domain, changes={"name": [old, name]}
    )


def test_a_change_commits_with_its_entry():
    domain = DomainFactory(name="before.example")

    with transaction.atomic():
        rename(domain, "after.example")

    assert Domain.objects.get(pk=domain.pk).name == "after.example"
    assert ActivityLog.objects.get().changes == {
        "name": ["before.example", "after.example"]
    }


def test_a_failure_after_the_change_leaves_neither_change_nor_entry():
    domain = DomainFactory(name="before.example")

    with pytest.raises(Interrupted), transaction.atomic():
        rename(domain, "after.example")
        raise Interrupted

    assert Domain.objects.get(pk=domain.pk).name == "before.example"
    assert not ActivityLog.objects.exists()


def test_an_entry_recorded_outside_a_transaction_commits_on_its_own():
    activity_record(action=Action.AUTH_LOGIN_FAILED)

    assert ActivityLog.objects.filter(action=Action.AUTH_LOGIN_FAILED).count() == 1


def test_a_failed_entry_cannot_be_ignored_to_commit_the_change_alone():
    domain = DomainFactory(name="before.example")
    token = current_request.set(RequestContext(client_ip="no:such:address"))

    try:
        with transaction.atomic():
            domain.name = "after.example"
            domain.save()
            with contextlib.suppress(ValueError):
                activity_record(action=Action.DOMAIN_UPDATED, target=domain)
    finally:
        current_request.reset(token)

    assert Domain.objects.get(pk=domain.pk).name == "before.example"
    assert not ActivityLog.objects.exists()


@pytest.mark.postgres
def test_concurrent_writers_never_fork_the_chain():
    writers, entries_each = 4, 25
    start = threading.Barrier(writers)
    errors = []

    def write():
        try:
            start.wait()
            for _ in range(entries_each):
                with transaction.atomic():
                    activity_record(action=Action.AUTH_LOGIN_FAILED)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(ActivityLog.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * entries_each + 1))
    assert f"intact: {writers * entries_each} entries" in verify()
