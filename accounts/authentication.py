from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(auth.TokenAuthentication):
    """
    `Authorization: Token …` for scripts, with knox's hashed, expiring tokens.

    The token of an inactive user, or of a user of an inactive domain, is
    refused like an unknown one.
    """

    def validate_user(self, auth_token):
        if not auth_token.user.can_authenticate:
            raise AuthenticationFailed("Invalid token.")
        return auth_token.user, auth_token


class TokenAuthenticationScheme(KnoxTokenScheme):
    target_class = TokenAuthentication
