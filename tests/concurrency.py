"""Requests sent at the same moment from several threads."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from rest_framework.test import APIClient


def at_once(user, requests):
    """
    Send each of `requests(client)` from its own thread, released together.

    The clients are logged in as `user`, or anonymous when it is None. Each
    thread has its own database connection, closed when it is done.
    """
    start_together = threading.Barrier(len(requests))

    def one(send):
        client = APIClient()
        client.raise_request_exception = False
        if user is not None:
            client.force_authenticate(user)
        try:
            start_together.wait()
            return send(client)
        finally:
            connection.close()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(one, requests))
