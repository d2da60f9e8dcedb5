"""
Who may do what on a catalog and on what it holds.

Views first load objects through `catalogs.selectors`, so an object the
caller may not read is a 404 before any of these checks run. What is left
for these checks is the difference between reading and changing: a 403.
"""

from rest_framework.permissions import BasePermission

from accounts.permissions import can_create_catalogs
from catalogs.models import ACCESS_RANK, Access, Catalog, Version
from catalogs.selectors import catalog_access_for

DENIED_MESSAGES = {
    Access.READ: "You cannot read this catalog.",
    Access.WRITE: "You can read this catalog but not change what it holds.",
    Access.MANAGE: "Only people who manage this catalog can do this.",
}


def access_includes(access, needed):
    """Whether `access` (possibly None) covers the `needed` level."""
    return access is not None and ACCESS_RANK[access] >= ACCESS_RANK[needed]


def catalog_of(obj):
    """The catalog a catalog, grant, file, upload or version belongs to."""
    if isinstance(obj, Catalog):
        return obj
    if isinstance(obj, Version):
        return obj.file.catalog
    return obj.catalog


class HasCatalogAccess(BasePermission):
    """
    The caller's access on the object's catalog covers what the view needs.

    A view says what it needs with `required_access(request)`.
    """

    message = DENIED_MESSAGES[Access.WRITE]

    def has_object_permission(self, request, view, obj):
        needed = view.required_access(request)
        self.message = DENIED_MESSAGES[needed]
        return access_includes(
            catalog_access_for(request.user, catalog_of(obj)), needed
        )


class CanCreateCatalogs(BasePermission):
    """Only editors and admins may create catalogs."""

    message = "Only editors and admins can create catalogs."

    def has_permission(self, request, view):
        return view.action != "create" or can_create_catalogs(request.user)
