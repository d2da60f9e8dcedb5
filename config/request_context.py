"""
What the current request is, for code far from the view.

The request id middleware fills these variables, so log lines and activity
entries can name the request without every function passing it along.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_ip: str | None = None
    user_agent: str = ""


NO_REQUEST = RequestContext()

current_request = ContextVar("current_request", default=None)


def get_request_context():
    return current_request.get() or NO_REQUEST
