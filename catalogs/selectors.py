"""
Reads of catalogs, files and versions, always through the caller's access.

`catalogs_readable_by(user)` is the one place that decides which catalogs a
user may read; everything else that a user can see is filtered through it.
"""

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from catalogs.models import Access, Catalog, CatalogPermission, File, Upload, Version


def catalogs_readable_by(user) -> QuerySet[Catalog]:
    """
    The catalogs `user` may read at this moment.

    Admins read every catalog; anyone else reads those they own and those
    they hold a grant on. Anonymous and inactive users read none. The
    queryset is evaluated lazily, so a caller asking later sees the grants
    of that later moment.
    """
    if not user.is_authenticated or not user.is_active:
        return Catalog.objects.none()
    if user.is_admin:
        return Catalog.objects.all()

    granted = CatalogPermission.objects.filter(user=user).values("catalog")
    return Catalog.objects.filter(Q(owner=user) | Q(pk__in=granted))


def catalog_access_for(user, catalog) -> Access | None:
    """The access `user` has on `catalog`, or None when they may not read it."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_admin or catalog.owner_id == user.pk:
        return Access.MANAGE

    access = (
        CatalogPermission.objects.filter(catalog=catalog, user=user)
        .values_list("access", flat=True)
        .first()
    )
    return Access(access) if access else None


def access_expression(user):
    """A query expression for the access `user` has on each catalog row."""
    if user.is_admin:
        return Value(Access.MANAGE.value)

    grant = CatalogPermission.objects.filter(catalog=OuterRef("pk"), user=user)
    return Case(
        When(owner=user, then=Value(Access.MANAGE.value)),
        default=Subquery(grant.values("access")[:1]),
    )


def catalog_list(*, user) -> QuerySet[Catalog]:
    """Readable catalogs with their owner, the caller's access and file count."""
    live_files = Count("files", filter=Q(files__trashed_at__isnull=True))
    return (
        catalogs_readable_by(user)
        .select_related("owner")
        .annotate(access=access_expression(user), file_count=live_files)
    )


def grant_list(*, catalog) -> QuerySet[CatalogPermission]:
    return catalog.permissions.select_related("user", "granted_by").order_by("id")


def files_readable_by(user) -> QuerySet[File]:
    """Files in catalogs `user` may read, trashed ones included."""
    return File.objects.filter(catalog__in=catalogs_readable_by(user))


def file_list(*, user, catalog=None) -> QuerySet[File]:
    """Readable files with what a listing shows, in a fixed number of queries."""
    files = files_readable_by(user)
    if catalog is not None:
        files = files.filter(catalog=catalog)
    return files.select_related(
        "catalog",
        "created_by",
        "trashed_by",
        "current_version",
        "current_version__uploaded_by",
    ).annotate(size=F("current_version__size"))


def version_list(*, file) -> QuerySet[Version]:
    return file.versions.select_related("file__catalog", "uploaded_by")


def upload_of(*, user, upload_id) -> Upload | None:
    """A direct upload `user` started in a catalog they can still read."""
    return (
        Upload.objects.filter(
            pk=upload_id, created_by=user, catalog__in=catalogs_readable_by(user)
        )
        .select_related("catalog", "file")
        .first()
    )
