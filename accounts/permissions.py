"""
Role checks for every app: plain functions for services and selectors,
permission classes for views.

The roles are `admin` (everything), `editor` (may also create catalogs) and
`viewer`. Every authenticated user is active and of an active domain already:
both authentication paths refuse anyone else.
"""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import Role


def has_role(user, *roles) -> bool:
    """Whether `user` is logged in with one of `roles`."""
    return bool(user and user.is_authenticated and user.role in roles)


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_create_catalogs(user) -> bool:
    """Editors and admins create catalogs; viewers do not."""
    return has_role(user, Role.ADMIN, Role.EDITOR)


class IsAdminRole(BasePermission):
    """Users of the admin role only."""

    message = "Only admins may do this."

    def has_permission(self, request, view):
        return is_admin(request.user)


class IsAdminRoleOrReadsObject(IsAdminRole):
    """
    Admins may do anything; others may only read single objects.

    A non-admin is refused lists and creation with 403. Which objects they
    can read is up to the view's queryset (anything else answers 404), and a
    write to an object they can read is refused with 403.
    """

    def has_permission(self, request, view):
        lookup = view.lookup_url_kwarg or view.lookup_field
        is_object_route = lookup in view.kwargs
        return super().has_permission(request, view) or (
            request.user.is_authenticated and is_object_route
        )

    def has_object_permission(self, request, view, obj):
        return super().has_permission(request, view) or request.method in SAFE_METHODS


class SignupOpen(BasePermission):
    """Sign-up is open while `ALLOW_SIGNUP` is true."""

    message = "Sign-up is closed. Ask an admin for an account."

    def has_permission(self, request, view):
        return settings.ALLOW_SIGNUP
