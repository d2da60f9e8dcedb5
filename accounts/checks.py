import importlib.util

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.caches)
def redis_package_check(app_configs, **kwargs):
    """Refuse to start with REDIS_URL set but no Redis client to reach it."""
    if settings.REDIS_URL and importlib.util.find_spec("redis") is None:
        return [
            Error(
                "REDIS_URL is set, but the redis package is not installed.",
                hint="Add redis to requirements.txt to use it: the Lambda "
                "package holds only what requirements.txt lists. Or unset "
                "REDIS_URL to keep the throttling counts in the database.",
                id="accounts.E001",
            )
        ]
    return []
