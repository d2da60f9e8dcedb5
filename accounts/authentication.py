import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from rest_framework.exceptions import AuthenticationFailed

# Tokens are ASCII without spaces; anything else is no token of ours.
TOKEN_CHARACTERS = re.compile(rb"[!-~]+")


class TokenAuthentication(auth.TokenAuthentication):
    """
    `Authorization: Token …` for scripts, with knox's hashed, expiring tokens.

    The token of an inactive user, or of a user of an inactive domain, is
    refused like an unknown one, and so is a token that is not even text.
    """

    def authenticate_credentials(self, token):
        if not TOKEN_CHARACTERS.fullmatch(token):
            raise AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token):
        if not auth_token.user.can_authenticate:
            raise AuthenticationFailed("Invalid token.")
        return auth_token.user, auth_token


class TokenAuthenticationScheme(KnoxTokenScheme):
    target_class = TokenAuthentication
