from accounts.permissions import IsAdminRole


class CanReadActivityLog(IsAdminRole):
    """Only users with the admin role may read the activity log."""

    message = "Only admins may read the activity log."
