from rest_framework.permissions import BasePermission

from accounts.models import Role


def is_admin_role(user):
    """Whether `user` is signed in with the admin role."""
    return bool(user and user.is_authenticated and user.role == Role.ADMIN)


class IsAdminRole(BasePermission):
    """
    Only users with the admin role may read the activity log.

    The same check as the one accounts is to provide for every app; use that
    one here once it exists.
    """

    message = "Only administrators may read the activity log."

    def has_permission(self, request, view):
        return is_admin_role(request.user)
