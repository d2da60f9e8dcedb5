from audit.models import ActivityLog
from config.request_context import get_request_context


def activity_record(*, action, actor=None, target=None, changes=None, details=None):
    """
    Record that `actor` did `action` to `target`, in the caller's transaction.

    Call it inside the same `transaction.atomic()` block as the change, so the
    change never commits without its entry. `changes` maps a field name to
    `[old, new]`; `details` holds any other facts worth keeping. Neither may
    hold passwords, tokens, question text or file contents. The client's IP,
    user agent and request id come from the current request, if any.
    """
    context = get_request_context()
    actor = actor if actor is not None and actor.is_authenticated else None
    return ActivityLog.objects.create(
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        changes=changes or {},
        details=details or {},
        ip_address=context.client_ip,
        user_agent=context.user_agent,
        request_id=context.request_id,
    )
