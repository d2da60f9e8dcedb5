import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Domain
from audit.actions import Action
from audit.chain import GENESIS_HASH, entry_hash
from audit.models import ActivityLog
from audit.services import Target, activity_record
from config.request_context import RequestContext, current_request
from tests.accounts.factories import DomainFactory, UserFactory
from tests.audit.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def reloaded(entry):
    return ActivityLog.objects.get(pk=entry.pk)


def test_an_entry_names_its_actor_and_target():
    user = UserFactory(email="vera@example.org")
    domain = DomainFactory(name="example.net")

    entry = activity_record(
        action=Action.DOMAIN_UPDATED,
        actor=user,
        target=domain,
        changes={"is_active": [True, False]},
    )

    entry = reloaded(entry)
    assert entry.actor_id == user.pk
    assert entry.actor_email == "vera@example.org"
    assert entry.action == "domain.updated"
    assert (entry.target_type, entry.target_id) == ("accounts.domain", str(domain.pk))
    assert entry.target_label == "example.net"
    assert entry.changes == {"is_active": [True, False]}


def test_the_actor_email_is_kept_when_the_user_changes_it():
    user = UserFactory(email="old@example.org")
    entry = ActivityFactory(actor=user)

    user.email = "new@example.org"
    user.save()

    assert reloaded(entry).actor_email == "old@example.org"


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_an_anonymous_or_system_action_has_no_actor(actor):
    entry = activity_record(action=Action.AUTH_LOGIN_FAILED, actor=actor)

    assert reloaded(entry).actor_id is None
    assert reloaded(entry).actor_email == ""
    assert str(entry).startswith(f"#{entry.sequence} system auth.login_failed")


def test_an_action_code_that_is_not_listed_is_refused():
    with pytest.raises(ValueError, match="Unknown activity action 'catalog.eaten'"):
        activity_record(action="catalog.eaten")

    assert not ActivityLog.objects.exists()


def test_a_deleted_object_is_recorded_from_its_description():
    domain = DomainFactory(name="gone.example")
    target = Target.of(domain)
    domain_id = domain.pk
    domain.delete()

    entry = activity_record(action=Action.ADMIN_DELETED, target=target)

    assert not Domain.objects.filter(pk=domain_id).exists()
    assert reloaded(entry).target_id == str(domain_id)
    assert reloaded(entry).target_label == "gone.example"


def test_passwords_tokens_and_secrets_are_redacted():
    entry = activity_record(
        action=Action.USER_UPDATED,
        changes={"password": ["pbkdf2$old", "pbkdf2$new"], "role": ["viewer", "admin"]},
        details={
            "token": "abc123",
            "password2": "hunter2",
            "tokens_revoked": 3,
            "client": {"API_SECRET": "s3cr3t", "name": "cli"},
        },
    )

    stored = reloaded(entry)
    assert stored.changes == {"password": "[redacted]", "role": ["viewer", "admin"]}
    assert stored.details == {
        "token": "[redacted]",
        "password2": "[redacted]",
        "tokens_revoked": 3,
        "client": {"API_SECRET": "[redacted]", "name": "cli"},
    }
    everything = json.dumps([stored.changes, stored.details])
    assert "pbkdf2" not in everything
    assert "abc123" not in everything
    assert "s3cr3t" not in everything
    assert "hunter2" not in everything


def test_rich_values_are_stored_as_plain_json_that_hashes_the_same_when_read_back():
    domain = DomainFactory()
    token = uuid.UUID("12345678-1234-5678-1234-567812345678")

    entry = activity_record(
        action=Action.USER_UPDATED,
        changes={
            "domain": [None, domain],
            "joined": [date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)],
            "quota": [Decimal("1.50"), 2.0],
            "big": [1e20, -0.0],
            "ratio": [0.1, 1.5e-7],
            "count": [2**70, float("inf")],
            "file": [ContentFile(b"secret bytes", name="notes.txt"), b"\x00\x01"],
            "id": [token, {3}],
            "text": ["nul\x00here", "Ñandú 📄"],
        },
    )

    stored = reloaded(entry)
    assert stored.changes == {
        "domain": [None, domain.pk],
        "joined": ["2026-01-02", "2026-01-02T03:04:05.000006+00:00"],
        "quota": ["1.50", 2],
        "big": [100000000000000000000, 0],
        "ratio": [0.1, 1.5e-7],
        "count": [2**70, "inf"],
        "file": ["notes.txt", "[binary]"],
        "id": [str(token), [3]],
        "text": ["nulhere", "Ñandú 📄"],
    }
    assert stored.changes == entry.changes
    assert entry_hash(stored) == stored.hash == entry.hash


def test_the_request_context_is_recorded():
    context = RequestContext(
        request_id="req-42", client_ip="2001:db8::1", user_agent="Browser/1.0"
    )
    token = current_request.set(context)
    try:
        entry = ActivityFactory()
    finally:
        current_request.reset(token)

    stored = reloaded(entry)
    assert stored.request_id == "req-42"
    assert stored.ip_address == "2001:db8::1"
    assert stored.user_agent == "Browser/1.0"
    assert entry_hash(stored) == stored.hash


def test_long_texts_are_cut_to_their_columns():
    domain = DomainFactory(name="d" * 240 + ".example")

    entry = activity_record(action=Action.DOMAIN_UPDATED, target=domain)

    assert reloaded(entry).target_label == domain.name[:255]
    assert entry_hash(reloaded(entry)) == entry.hash


def test_entries_form_a_chain_without_gaps():
    entries = ActivityFactory.create_batch(3)

    stored = list(ActivityLog.objects.order_by("sequence"))
    assert [entry.sequence for entry in stored] == [1, 2, 3]
    assert stored[0].previous_hash == GENESIS_HASH
    assert stored[1].previous_hash == stored[0].hash
    assert stored[2].previous_hash == stored[1].hash
    assert [entry.hash for entry in stored] == [entry.hash for entry in entries]
    assert all(entry_hash(entry) == entry.hash for entry in stored)


def test_times_are_set_when_recorded_and_keep_their_microseconds():
    before = timezone.now()

    entry = ActivityFactory()

    assert before <= entry.created_at <= timezone.now()
    assert reloaded(entry).created_at == entry.created_at
