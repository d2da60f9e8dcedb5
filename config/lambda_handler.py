"""
What AWS Lambda calls: Zappa's handler, and the functions of scheduled events.

`zappa_settings.json` names `lambda_handler` as the function's entry point.
"""

import logging

from django.core.management import call_command
from django.db import close_old_connections
from zappa.handler import lambda_handler as zappa_lambda_handler

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    """Answer any Lambda event with Zappa, mending some of its details."""
    if not event.get("httpMethod"):
        return handle_without_request(event, context)

    if isinstance(event.get("headers"), dict):
        spell_host_header(event["headers"])

    response = zappa_lambda_handler(event, context)

    if isinstance(response, dict) and "multiValueHeaders" in response:
        merge_set_cookie_headers(response)
    return response


def handle_without_request(event, context):
    """
    Run a task, a scheduled function or a management command.

    Django checks the database connections it keeps when an HTTP request
    starts and ends, and only then: without the same checks around other
    events, a warm instance would go on using a connection that a database
    restart has closed, and fail each of them.
    """
    close_old_connections()
    try:
        return zappa_lambda_handler(event, context)
    finally:
        close_old_connections()


def spell_host_header(headers):
    """
    Make sure the `Host` header is spelt so.

    Zappa looks for `Host` only, to tell the execute-api address (where paths
    carry the stage) from a custom domain; HTTP/2 clients send `host`. Missing
    it, Zappa assumes the stage, and every link on a custom domain breaks.
    """
    if "Host" not in headers:
        for name, value in list(headers.items()):
            if name.lower() == "host":
                headers["Host"] = value


def merge_set_cookie_headers(response):
    """
    Give every cookie a single `Set-Cookie` line.

    Zappa's WSGI middleware adds a lower-case copy of every `Set-Cookie`
    header (a case trick API Gateway no longer needs), and its REST API
    response then lists all the copies under each spelling: two cookies come
    out as eight lines. Remove this once Zappa's middleware stops copying.
    """
    cookies = []
    for headers in (response["multiValueHeaders"], response.get("headers") or {}):
        for name in [name for name in headers if name.lower() == "set-cookie"]:
            values = headers.pop(name)
            cookies.extend(values if isinstance(values, list) else [values])

    if cookies:
        response["multiValueHeaders"]["Set-Cookie"] = list(dict.fromkeys(cookies))


def cleanup_orphans(event, context):
    """Scheduled: remove stored files that no version refers to any more."""
    logger.info("Scheduled cleanup of orphaned files started")
    call_command("cleanup_orphans", delete=True)
