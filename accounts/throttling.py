"""
How fast a client may call the views that are costly to flood: sign-up and
chat questions.

A view lists `ScopedRateThrottle` in `throttle_classes` and names its scope
in `throttle_scope`; `DEFAULT_THROTTLE_RATES` gives each scope its rate. Only
writes count, so that reading a page or a form never uses up the rate. A
logged-in user is counted by id, anyone else by client address. The counts
live in the "throttle" cache (the database or Redis), so that every Lambda
instance sees them, as the lockout's do.
"""

import logging

from django.core.cache import caches
from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings

from config.middleware import client_ip

logger = logging.getLogger(__name__)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, counting in the shared "throttle" cache."""

    @property
    def cache(self):
        return caches["throttle"]

    @property
    def THROTTLE_RATES(self):
        # DRF's own class reads the rates once, when it is imported.
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request):
        """The client address as far as trusted proxies allow, never DRF's guess."""
        return client_ip(request)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True

        allowed = super().allow_request(request, view)
        if not allowed:
            logger.warning(
                "Throttled a %s request of %s", self.scope, client_label(request)
            )
        return allowed

    def wait(self):
        """Seconds until the oldest request still counted is forgotten."""
        oldest_counted = self.history[self.num_requests - 1]
        return self.duration - (self.now - oldest_counted)


def client_label(request):
    if request.user.is_authenticated:
        return f"user {request.user.pk}"
    return f"address {client_ip(request)}"
