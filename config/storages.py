"""Storage of static files, with URLs that follow the request's script prefix."""

from django.urls import get_script_prefix
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """
    WhiteNoise's compressed, hashed static files, linked under the prefix of
    the current request.

    Through API Gateway's execute-api address every path carries the stage
    (`/production/...`) and Zappa passes it as the script name; through a
    custom domain there is none. Django adds the script prefix to a relative
    `STATIC_URL` only once per process, so it is added here on each call.
    """

    def url(self, name, force=False):
        return get_script_prefix().rstrip("/") + super().url(name, force)
