import json
import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone

from audit.actions import Action
from audit.chain import (
    chain_append,
    chain_head,
    chain_start,
    delete_through,
    lock_chain,
)
from audit.models import ActivityLog
from audit.selectors import activity_chain_verify
from config.exceptions import ApplicationError, Conflict
from config.request_context import get_request_context

logger = logging.getLogger(__name__)

# `password`, `new_password`, `password2`, `api_token`; not `tokens_revoked`.
SENSITIVE_KEY = re.compile(
    r"(^|_)(password|passwd|token|secret|credentials?|api_key)\d*$", re.IGNORECASE
)
REDACTED = "[redacted]"


class ActivityChainBroken(ApplicationError):
    status_code = 409
    default_code = "activity_chain_broken"


@dataclass(frozen=True)
class Target:
    """What an entry is about, kept for when the object itself is gone."""

    type: str
    id: str
    label: str

    @classmethod
    def of(cls, obj: models.Model) -> "Target":
        """Describe a model instance; take it before deleting the instance."""
        pk = "" if obj.pk is None else str(obj.pk)
        return cls(type=obj._meta.label_lower, id=pk, label=str(obj))


def activity_record(
    *,
    action: Action | str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | Target | None = None,
    changes: dict | None = None,
    details: dict | None = None,
) -> ActivityLog:
    """
    Record that `actor` did `action` to `target`, in the caller's transaction.

    Call it inside the same `transaction.atomic()` block as the change, so the
    change never commits without its entry and a rolled-back change leaves
    none; called outside one, the entry commits on its own. The entry holds
    the chain until the transaction ends, so record as the last step: a
    deletion deletes first and records a `Target` taken before (see the
    lock order in `config.locking`).

    `action` is an `Action` or its code. `actor` is a user, or None (or an
    anonymous user) for the system. `target` is a model instance or a
    `Target`. `changes` maps a field name to `[old, new]`; `details` holds
    any other facts worth keeping. Both may hold model instances (kept as
    their primary key), files (their name), dates and decimals. Neither may
    hold passwords, tokens, question text or file contents; values under a
    key naming a password, token, secret or credential are redacted. The
    client's IP, user agent and request id come from the current request,
    if any.
    """
    if action not in Action.values:
        raise ValueError(f"Unknown activity action {action!r}: add it to Action.")
    if actor is not None and not actor.is_authenticated:
        actor = None
    if target is not None and not isinstance(target, Target):
        target = Target.of(target)
    context = get_request_context()

    entry = ActivityLog(
        actor=actor,
        actor_email=text(actor.email if actor else "", 254),
        action=str(action),
        target_type=text(target.type if target else "", 64),
        target_id=text(target.id if target else "", 64),
        target_label=text(target.label if target else "", 255),
        changes=plain_json(changes or {}),
        details=plain_json(details or {}),
        ip_address=context.client_ip,
        user_agent=text(context.user_agent, 512),
        request_id=text(context.request_id, 128),
    )
    chain_append(entry)
    return entry


def text(value, max_length):
    # PostgreSQL refuses NUL characters in text.
    return value.replace("\x00", "")[:max_length]


class ActivityJSONEncoder(DjangoJSONEncoder):
    """
    Writes what services put in `changes` and `details` as plain JSON.

    Times keep their microseconds; model instances become their primary key,
    files their name, and bytes a placeholder, never their content.
    """

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, models.QuerySet):
            return [obj.pk for obj in o]
        if isinstance(o, File):
            return o.name
        if isinstance(o, bytes | bytearray | memoryview):
            return "[binary]"
        if isinstance(o, set | frozenset):
            return list(o)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def plain_json(value):
    """
    `value` as the JSON that is stored and hashed.

    Integral numbers become integers and infinities text, because
    PostgreSQL's jsonb would give `1e+20` back as an integer and refuses
    `NaN`; NUL characters are dropped, and sensitive keys redacted.
    """
    return plain(json.loads(json.dumps(value, cls=ActivityJSONEncoder)))


def plain(value):
    if isinstance(value, dict):
        return {
            plain(key): REDACTED if SENSITIVE_KEY.search(key) else plain(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return int(value)
    return value


def activity_export(
    *,
    entries: models.QuerySet[ActivityLog],
    actor: AbstractBaseUser,
    query: str,
) -> tuple[models.QuerySet[ActivityLog], ActivityLog]:
    """
    Record that `actor` exports `entries`, chosen by the query string `query`.

    Returns the entries to export and the entry recorded. The export shows
    the log as it was when asked for: neither its own entry nor any later
    one is in it.
    """
    export = activity_record(
        action=Action.ACTIVITY_EXPORTED, actor=actor, details={"query": query}
    )
    return entries.filter(sequence__lt=export.sequence), export


def activity_prune(*, before: datetime) -> ActivityLog | None:
    """
    Remove the entries recorded before `before`, keeping the chain verifiable.

    Entries are removed from the start of the chain up to the first one
    recorded at or after `before`. The part removed is verified first, so
    that pruning never erases the trace of tampering. An `activity.pruned`
    anchor naming the last entry removed is appended, and verification
    starts from it. Returns the anchor, or None when nothing was old enough.
    """
    if before > timezone.now():
        raise ApplicationError(
            "The cut-off date must be in the past.", code="invalid_cutoff"
        )

    first_kept = ActivityLog.objects.filter(created_at__gte=before).aggregate(
        first=Min("sequence")
    )["first"]
    last_removed = first_kept - 1 if first_kept else chain_head()[0]
    first_removed, _ = chain_start()
    if last_removed < first_removed:
        return None

    report = activity_chain_verify(stop_after=last_removed + 1)
    if report.problem:
        raise ActivityChainBroken(
            f"Not pruned: the activity log is broken. {report.problem}"
        )

    with transaction.atomic():
        lock_chain()
        if chain_start()[0] != first_removed:
            raise Conflict("The log was pruned meanwhile; try again.")
        last_removed_hash = (
            ActivityLog.objects.filter(sequence=last_removed)
            .values_list("hash", flat=True)
            .get()
        )
        # Recorded first, so that it links to the head even when the head
        # itself is among the entries removed.
        removed = last_removed - first_removed + 1
        anchor = activity_record(
            action=Action.ACTIVITY_PRUNED,
            details={
                "before": before.isoformat(),
                "removed": removed,
                "first_removed_sequence": first_removed,
                "last_removed_sequence": last_removed,
                "last_removed_hash": last_removed_hash,
            },
        )
        delete_through(last_removed)

    logger.info(
        "Pruned %s activity entries, #%s to #%s", removed, first_removed, last_removed
    )
    return anchor
