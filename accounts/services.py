"""
Every change to users, domains, passwords and tokens, each with its entry in
the activity log, written in the same transaction; and the check of the
credentials a login gives.
"""

import logging

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils import timezone
from knox.models import AuthToken

from accounts.exceptions import (
    DomainExists,
    DomainNotAllowed,
    EmailTaken,
    InvalidCredentials,
    LockedOut,
    OwnAccount,
    OwnDomain,
    UserOwnsData,
)
from accounts.lockout import lockout_message
from accounts.models import Domain, Role, User
from accounts.selectors import domain_for_email, email_domain, email_taken
from audit.actions import Action
from audit.services import Target, activity_record
from config.locking import locked, locked_for_delete

logger = logging.getLogger(__name__)


def credentials_check(*, request: HttpRequest, email: str, password: str) -> User:
    """
    Return the user that an e-mail and password log in, or refuse.

    Every refusal is the same `InvalidCredentials`, whether the address is
    unknown, the password wrong, or the user or its domain inactive. Each
    one counts towards a lockout of the account and of the client address
    of `request`; a locked-out account or address gets `LockedOut` instead,
    without its password being checked.
    """
    user = authenticate(request, username=email, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(lockout_message())
    if user is None:
        raise InvalidCredentials()
    return user


def user_register(
    *, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """
    Sign up someone with an address of an active allowed domain.

    The new user gets the domain's default role. The password must have
    passed Django's password validators already.

    Sign-up does not yet confirm that the address belongs to whoever signs
    up, and its answer tells whether an address has an account; both go once
    sign-up confirms addresses by e-mail.
    """
    with transaction.atomic():
        user = _build_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        activity_record(action=Action.USER_REGISTERED, actor=user, target=user)

    logger.info("User %s signed up with role %s", user.pk, user.role)
    return user


def user_create(
    *,
    actor: User | None,
    email: str,
    password: str | None,
    role: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """
    Create a user of an active allowed domain on an admin's behalf, or the
    system's (`actor` None, for a management command).

    Without a role the user gets the domain's default role; without a
    password, password login stays disabled until one is set.
    """
    with transaction.atomic():
        user = _build_user(
            email=email,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )
        activity_record(
            action=Action.USER_CREATED,
            actor=actor,
            target=user,
            details={"role": user.role},
        )

    logger.info("User %s created by %s", user.pk, _by(actor))
    return user


def _by(actor):
    """Who a log line names: a user by id, or the system."""
    return f"user {actor.pk}" if actor else "the system"


def _build_user(*, email, password, role=None, first_name="", last_name=""):
    email = User.objects.normalize_email(email)
    domain = domain_for_email(email)
    if domain is None:
        raise DomainNotAllowed(email_domain(email))
    if email_taken(email):
        raise EmailTaken()

    user = User(
        email=email,
        domain=domain,
        role=role or domain.default_role,
        first_name=first_name,
        last_name=last_name,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_user(user)
    return user


def _save_user(user):
    # The check before is for a clear answer; the unique index settles a race.
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise EmailTaken() from None


def user_update(
    *,
    user: User,
    actor: User,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> User:
    """
    Change a user; a field left as None stays as it is.

    The user's domain follows a new e-mail address, which must belong to an
    active allowed domain. Nobody changes their own role or deactivates
    themselves. Deactivation revokes the user's tokens; their sessions are
    refused from their next request, and work again if the user is
    reactivated before they expire.
    """
    with transaction.atomic():
        user = locked(user)
        if user.pk == actor.pk and (
            role not in (None, user.role) or is_active not in (None, user.is_active)
        ):
            raise OwnAccount()

        changes = _change_email(user, email) if email is not None else {}
        changes.update(
            _apply_changes(
                user,
                first_name=first_name,
                last_name=last_name,
                role=role,
                is_active=is_active,
            )
        )
        if not changes:
            return user

        _save_user(user)
        _record_update(
            user,
            actor=actor,
            changes=changes,
            tokens=AuthToken.objects.filter(user=user),
            updated=Action.USER_UPDATED,
            deactivated=Action.USER_DEACTIVATED,
        )

    logger.info("User %s changed by user %s: %s", user.pk, actor.pk, sorted(changes))
    return user


def _change_email(user, email):
    """Move `user` to a new address and its domain, or refuse before any change."""
    email = User.objects.normalize_email(email)
    if email == user.email:
        return {}

    domain = domain_for_email(email)
    if domain is None:
        raise DomainNotAllowed(email_domain(email))
    if email_taken(email, exclude=user):
        raise EmailTaken()

    changes = {"email": [user.email, email]}
    if domain != user.domain:
        changes["domain"] = [user.domain.name, domain.name]
    user.email, user.domain = email, domain
    return changes


def _record_update(target, *, actor, changes, tokens, updated, deactivated):
    """
    Record the change of a user or domain as `updated`, or as `deactivated`
    when it deactivates them: then `tokens`, those of the users locked out,
    are revoked.
    """
    is_deactivation = changes.get("is_active") == [True, False]
    if is_deactivation:
        tokens.delete()
    activity_record(
        action=deactivated if is_deactivation else updated,
        actor=actor,
        target=target,
        changes=changes,
    )


def _apply_changes(instance, **values):
    """Set the values that are given and differ; return them as `[old, new]`."""
    changes = {}
    for name, value in values.items():
        old = getattr(instance, name)
        if value is not None and value != old:
            changes[name] = [old, value]
            setattr(instance, name, value)
    return changes


def user_delete(*, user: User, actor: User) -> None:
    """
    Delete a user who owns no data, such as one created by mistake.

    Someone who owns catalogs, files, versions or conversations is never
    deleted (their data would lose its owner, or be lost with them):
    deactivate them instead.
    """
    if user.pk == actor.pk:
        raise OwnAccount()

    try:
        with transaction.atomic():
            user = locked_for_delete(user)
            target = Target.of(user)
            user.delete()
            activity_record(action=Action.USER_DELETED, actor=actor, target=target)
    except (ProtectedError, RestrictedError):
        raise UserOwnsData() from None

    logger.info("User %s deleted by user %s", target.id, actor.pk)


def user_set_password(
    *,
    user: User,
    actor: User,
    password: str | None,
    keep_token: AuthToken | None = None,
) -> None:
    """
    Set a user's password, or disable password login with None.

    Every session of the user ends (Django ties sessions to the password)
    and every token is revoked, except `keep_token`, the one the change was
    made with. The caller keeps its own session with
    `update_session_auth_hash`. The password must have passed Django's
    password validators already.
    """
    with transaction.atomic():
        locked(user)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])

        tokens = AuthToken.objects.filter(user=user)
        if keep_token is not None:
            tokens = tokens.exclude(pk=keep_token.pk)
        revoked, _ = tokens.delete()
        activity_record(
            action=Action.AUTH_PASSWORD_CHANGED,
            actor=actor,
            target=user,
            details={"tokens_revoked": revoked, "usable": bool(password)},
        )

    logger.info("Password of user %s changed by user %s", user.pk, actor.pk)


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """
    Issue an API token; return it and its secret, which is never stored.

    Only a hash of the secret is kept, and the token expires after
    `REST_KNOX["TOKEN_TTL"]`.
    """
    with transaction.atomic():
        locked(user)
        token, secret = AuthToken.objects.create(user=user)
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
        activity_record(
            action=Action.AUTH_TOKEN_CREATED,
            actor=user,
            target=user,
            details={"expiry": token.expiry.isoformat() if token.expiry else None},
        )

    logger.info("Token created for user %s", user.pk)
    return token, secret


def token_revoke(*, token: AuthToken, actor: User) -> None:
    """Revoke an API token at once."""
    with transaction.atomic():
        token.delete()
        activity_record(
            action=Action.AUTH_TOKEN_REVOKED,
            actor=actor,
            target=token.user,
            details={"created": token.created.isoformat()},
        )

    logger.info("Token of user %s revoked by user %s", token.user_id, actor.pk)


def domain_create(
    *,
    actor: User | None,
    name: str,
    default_role: str = Role.VIEWER,
    is_active: bool = True,
) -> Domain:
    """
    Allow the addresses of a domain to sign up and log in; `actor` is None
    when the system does it, for a management command.
    """
    domain = Domain(name=name, default_role=default_role, is_active=is_active)
    with transaction.atomic():
        try:
            with transaction.atomic():
                domain.save()
        except IntegrityError:
            raise DomainExists(domain.name) from None
        activity_record(
            action=Action.DOMAIN_CREATED,
            actor=actor,
            target=domain,
            details={"default_role": default_role, "is_active": is_active},
        )

    logger.info("Domain %s created by %s", domain.pk, _by(actor))
    return domain


def domain_update(
    *,
    domain: Domain,
    actor: User,
    default_role: str | None = None,
    is_active: bool | None = None,
) -> Domain:
    """
    Change a domain's default role or whether it is active.

    Deactivation locks the domain's users out: their tokens are revoked and
    their sessions stop working at their next request. Nobody deactivates
    the domain of their own address. Its name never changes, since its
    users' addresses end with it.
    """
    with transaction.atomic():
        domain = locked(domain)
        changes = _apply_changes(domain, default_role=default_role, is_active=is_active)
        if not changes:
            return domain
        if domain.pk == actor.domain_id and not domain.is_active:
            raise OwnDomain()

        domain.save()
        _record_update(
            domain,
            actor=actor,
            changes=changes,
            tokens=AuthToken.objects.filter(user__domain=domain),
            updated=Action.DOMAIN_UPDATED,
            deactivated=Action.DOMAIN_DEACTIVATED,
        )

    logger.info(
        "Domain %s changed by user %s: %s", domain.pk, actor.pk, sorted(changes)
    )
    return domain


def domain_delete(*, domain: Domain, actor: User) -> bool:
    """
    Delete a domain nobody uses; deactivate one that has users.

    Return whether the domain was deleted.
    """
    with transaction.atomic():
        domain = locked_for_delete(domain)
        if domain.users.exists():
            domain_update(domain=domain, actor=actor, is_active=False)
            return False

        target = Target.of(domain)
        domain.delete()
        activity_record(action=Action.DOMAIN_DELETED, actor=actor, target=target)

    logger.info("Domain %s deleted by user %s", target.id, actor.pk)
    return True
