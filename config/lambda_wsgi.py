"""
The WSGI application Zappa serves on Lambda (`app_function`).

It is Django's, given the client address API Gateway saw. Zappa takes
`REMOTE_ADDR` from `X-Forwarded-For`, the entry before the last; API Gateway
appends the address it saw to whatever the client sent in that header, so
that entry is the client's own claim, and the activity log and the login
lockout would believe it.
"""

from config.wsgi import application as django_application


def application(environ, start_response):
    environ["REMOTE_ADDR"] = source_ip(environ.get("lambda.event") or {})
    return django_application(environ, start_response)


def source_ip(event):
    """The address a REST API event came from, or "" when it names none."""
    identity = (event.get("requestContext") or {}).get("identity") or {}
    return identity.get("sourceIp") or ""
