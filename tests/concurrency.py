"""Requests sent from several threads, at the same moment or in a set order."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection
from rest_framework.test import APIClient

from audit.chain import CHAIN_LOCK_KEY

# Only keeps a test that waits for a request which never comes from hanging.
LONGEST_WAIT = 60


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


def in_turn(*requests):
    """
    Send each `(user, send)` of `requests` from its own thread, in turn,
    while another writer of the activity log holds its chain.

    Each request is sent once those before it wait for a lock or are done,
    and the chain is let go once all of them are: so they queue for the
    chain, or for the rows the requests before them hold, in the order
    given, and take the chain in that order. PostgreSQL only. Returns the
    responses in the order of `requests`.
    """
    futures = []
    with ThreadPoolExecutor(len(requests)) as pool, chain_held():
        for user, send in requests:
            futures.append(pool.submit(sent_as, user, send))
            wait_until_stopped(futures)
    return [future.result() for future in futures]


def sent_as(user, send):
    """The response to `send(client)`, from a client logged in as `user`."""
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(user)
    return on_own_connection(send, client)


def on_own_connection(function, *args, **kwargs):
    """Call `function` in a thread, and close its database connection after."""
    try:
        return function(*args, **kwargs)
    finally:
        connection.close()


@contextmanager
def chain_held():
    """Hold the activity log's chain from the test's own connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK_KEY])


def wait_until_stopped(futures):
    """Wait until each call of `futures` waits for a lock or is done."""
    deadline = time.monotonic() + LONGEST_WAIT
    while waiting_for_locks() + sum(f.done() for f in futures) < len(futures):
        if time.monotonic() > deadline:
            raise TimeoutError("A call neither finished nor waited for a lock.")
        time.sleep(0.01)


def waiting_for_locks():
    """How many other connections to the test database wait for a lock."""
    with connection.cursor() as cursor:
        # Read afresh, even inside a transaction.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
            "current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]
