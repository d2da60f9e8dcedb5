"""Catalogs and the grants that open them to other people."""

import logging
from functools import partial

from django.db import IntegrityError, transaction

from accounts.permissions import can_create_catalogs
from audit.actions import Action
from audit.services import Target, activity_record
from catalogs import storage
from catalogs.models import Access, Catalog, CatalogPermission, Version
from catalogs.services.files import pending_upload_keys, stored_keys_of
from config.exceptions import ApplicationError, Conflict
from config.locking import kept, lock_for_delete, locked, locked_for_delete

logger = logging.getLogger(__name__)


def catalog_create(*, owner, name: str, description: str = "", actor=None) -> Catalog:
    """
    Create a catalog owned (and so managed) by `owner`.

    `actor`, who is the owner unless an admin creates it for them, is who
    the activity log names.
    """
    if not can_create_catalogs(owner):
        raise ApplicationError(
            "Only editors and admins can create and own catalogs.",
            code="permission_denied",
            status_code=403,
        )

    with transaction.atomic():
        catalog = Catalog.objects.create(
            name=name, description=description, owner=owner
        )
        activity_record(
            action=Action.CATALOG_CREATED,
            actor=actor or owner,
            target=catalog,
            details={"name": name},
        )
    logger.info("Catalog %s created for user %s", catalog.pk, owner.pk)
    return catalog


def catalog_update(
    *, catalog: Catalog, actor, name: str | None = None, description: str | None = None
) -> Catalog:
    """Rename or describe a catalog; only what changes is saved and recorded."""
    wanted = {"name": name, "description": description}
    with transaction.atomic():
        catalog = locked(catalog)
        changes = {
            field: [getattr(catalog, field), value]
            for field, value in wanted.items()
            if value is not None and value != getattr(catalog, field)
        }
        if not changes:
            return catalog

        for field, (_, value) in changes.items():
            setattr(catalog, field, value)
        catalog.save(update_fields=[*changes, "updated_at"])
        activity_record(
            action=Action.CATALOG_UPDATED, actor=actor, target=catalog, changes=changes
        )

    logger.info(
        "Catalog %s changed by user %s: %s", catalog.pk, actor.pk, sorted(changes)
    )
    return catalog


def catalog_delete(*, catalog: Catalog, actor, force: bool = False) -> None:
    """
    Delete a catalog, refusing while it holds files unless `force` is set.

    With `force`, its files go too, and their stored objects are removed
    once the deletion has committed. The conversations about the catalog
    always go with it, whoever owns them, since none could be answered
    again; the activity log records how many there were.
    """
    with transaction.atomic():
        catalog = locked_for_delete(catalog)
        file_count = catalog.files.count()
        if file_count and not force:
            raise Conflict(
                f"This catalog still holds {file_count} file(s), those in the "
                "trash included. Purge them one by one with "
                "DELETE /api/v1/files/{id}/?purge=true, or delete the catalog "
                "and its files together with "
                f"DELETE /api/v1/catalogs/{catalog.pk}/?force=true.",
                code="catalog_not_empty",
            )

        versions = Version.objects.filter(file__catalog=catalog)
        lock_for_delete(catalog.files.all())
        lock_for_delete(versions)
        lock_for_delete(catalog.conversations.all())
        keys = stored_keys_of(versions=versions)
        keys += pending_upload_keys(catalog.uploads.all())
        conversation_count = catalog.conversations.count()
        target = Target.of(catalog)
        catalog.delete()
        activity_record(
            action=Action.CATALOG_DELETED,
            actor=actor,
            target=target,
            details={
                "name": catalog.name,
                "files": file_count,
                "conversations": conversation_count,
            },
        )
        transaction.on_commit(partial(storage.delete_many, keys))
    logger.info(
        "Catalog %s deleted by user %s with %s file(s) and %s conversation(s)",
        target.id,
        actor.pk,
        file_count,
        conversation_count,
    )


def grant_refusal(*, catalog: Catalog, user) -> ApplicationError | None:
    """Why `user` cannot be given a grant on `catalog`, if they cannot."""
    if user.pk == catalog.owner_id:
        return ApplicationError(
            "The owner already manages this catalog.", code="owner_has_access"
        )
    if not user.is_active or not user.domain.is_active:
        return ApplicationError(
            "Access can only be granted to active users of an allowed domain.",
            code="user_inactive",
        )
    return None


def catalog_grant(
    *, catalog: Catalog, actor, user, access: Access
) -> CatalogPermission:
    """Give `user` an access level on `catalog`."""
    refusal = grant_refusal(catalog=catalog, user=user)
    if refusal is not None:
        raise refusal

    try:
        with transaction.atomic():
            kept(catalog)
            permission = CatalogPermission.objects.create(
                catalog=catalog, user=user, access=access, granted_by=actor
            )
            activity_record(
                action=Action.PERMISSION_GRANTED,
                actor=actor,
                target=catalog,
                details={"user": user.pk, "access": access},
            )
    except IntegrityError:
        raise Conflict(
            "This user already has access to this catalog; change their grant instead.",
            code="already_granted",
        ) from None

    logger.info(
        "User %s given %s access to catalog %s by user %s",
        user.pk,
        access,
        catalog.pk,
        actor.pk,
    )
    return permission


def catalog_grant_change(
    *, permission: CatalogPermission, actor, access: Access
) -> CatalogPermission:
    """Change the access level of an existing grant."""
    with transaction.atomic():
        permission = locked(permission)
        if permission.access == access:
            return permission

        changes = {"access": [permission.access, access]}
        permission.access = access
        permission.save(update_fields=["access"])
        activity_record(
            action=Action.PERMISSION_CHANGED,
            actor=actor,
            target=permission.catalog,
            changes=changes,
            details={"user": permission.user_id},
        )

    logger.info(
        "Access of user %s to catalog %s changed to %s by user %s",
        permission.user_id,
        permission.catalog_id,
        access,
        actor.pk,
    )
    return permission


def catalog_revoke(*, permission: CatalogPermission, actor) -> None:
    """Take a grant away."""
    with transaction.atomic():
        permission = locked_for_delete(permission)
        catalog = permission.catalog
        details = {"user": permission.user_id, "access": permission.access}
        permission.delete()
        activity_record(
            action=Action.PERMISSION_REVOKED,
            actor=actor,
            target=catalog,
            details=details,
        )

    logger.info(
        "Access of user %s to catalog %s revoked by user %s",
        details["user"],
        catalog.pk,
        actor.pk,
    )
