from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailBackend(ModelBackend):
    """
    Log in with an e-mail address and password; serve allowed users only.

    A user who is inactive, or whose domain is, is refused at login and on
    every later request of a session, so deactivation takes effect at once.
    Refusals look the same whatever their reason.
    """

    def user_can_authenticate(self, user):
        return user.can_authenticate

    def get_user(self, user_id):
        user = User._default_manager.select_related("domain").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
