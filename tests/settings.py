"""Settings for the test suite: the real ones, made fast and self-contained."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The manifest needs `collectstatic`; tests serve static files from the apps.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Django's test client logs in without a request, which the lockout backend
# refuses; the lockout is switched on where it is tested, in tests/accounts.
AXES_ENABLED = False

# Extract text inline, as a local run does, never through Lambda.
EXTRACTION_ASYNC = False

# Throttling counts in the test database, undone with each test like the rest
# of it, even where REDIS_URL names a server (tests that use Redis say so).
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "throttle_cache",
    },
}
# Rates no test reaches by chance, such as those sending every odd value to
# sign-up; throttling itself is tested with low rates of its own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"signup": "1000/minute", "chat": "1000/minute"},
}
