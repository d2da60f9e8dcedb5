import json
import os
import socket
import socketserver
import threading

import boto3
import pytest

from config.database import (
    CONNECT_TIMEOUT_SECONDS,
    SECRET_READ_ATTEMPTS,
    database_config,
)
from tests.commands import run_manage, run_python

POSTGRES = {"host": "127.0.0.1", "port": 5432}


def postgres_reachable():
    try:
        socket.create_connection((POSTGRES["host"], POSTGRES["port"]), 1).close()
    except OSError:
        return False
    return True


def create_secret(value):
    client = boto3.client("secretsmanager")
    name = f"fichero/db/{os.urandom(6).hex()}"
    return client.create_secret(Name=name, SecretString=value)["ARN"]


SHOW_DATABASE = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SELECT current_database(), current_user')\n"
    "    print(connection.vendor, *cursor.fetchone())\n"
)


@pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL on 127.0.0.1")
def test_settings_connect_to_postgres_with_the_secret(moto_server):
    arn = create_secret(
        json.dumps(
            {
                "engine": "postgres",
                "username": "postgres",
                "password": "unused-with-trust-auth",
                "host": POSTGRES["host"],
                "port": POSTGRES["port"],
                "dbname": "postgres",
            }
        )
    )

    result = run_manage(
        "shell", "-v", "0", "-c", SHOW_DATABASE, environment={"DB_SECRET_ARN": arn}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql", "postgres", "postgres"]


def test_secret_wins_over_database_url(moto_server):
    arn = create_secret(json.dumps({"engine": "postgres", "username": "x"}))

    result = run_manage(
        "check",
        environment={"DB_SECRET_ARN": arn, "DATABASE_URL": "sqlite:///unused.db"},
    )

    assert result.returncode != 0
    assert f"Cannot use database secret {arn}: missing keys" in result.stderr


def test_unreadable_secret_stops_start_up_naming_it(moto_server):
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:absent-AbCdEf"

    result = run_manage("check", environment={"DB_SECRET_ARN": arn})

    assert result.returncode != 0
    assert f"Cannot use database secret {arn}: ResourceNotFoundException" in (
        result.stderr
    )


def test_unparsable_secret_is_reported_without_its_value(moto_server):
    arn = create_secret("password=hunter2-very-secret")

    result = run_manage("check", environment={"DB_SECRET_ARN": arn})

    assert result.returncode != 0
    assert f"Cannot use database secret {arn}: the secret is not valid JSON" in (
        result.stderr
    )
    assert "hunter2" not in result.stderr + result.stdout


class SilentHandler(socketserver.BaseRequestHandler):
    """Take a connection and never answer, until the client gives up."""

    def handle(self):
        self.server.connections.append(self.client_address)
        while self.request.recv(4096):
            pass


@pytest.fixture
def silent_server():
    """
    A loopback server that accepts connections and never says a word: what
    a peer the network lets through but that never answers looks like.
    """
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SilentHandler)
    server.daemon_threads = True
    server.connections = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_postgres_connections_give_up_after_a_connect_timeout():
    url_without = "postgres://fichero@db.example.org/fichero"
    url_with = f"{url_without}?connect_timeout=12"

    default = database_config(
        secret_arn="", database_url=url_without, sqlite_path="", conn_max_age=0
    )
    chosen = database_config(
        secret_arn="", database_url=url_with, sqlite_path="", conn_max_age=0
    )

    assert default["OPTIONS"]["connect_timeout"] == CONNECT_TIMEOUT_SECONDS
    assert chosen["OPTIONS"]["connect_timeout"] == 12


def test_a_database_that_never_answers_fails_with_a_timeout(silent_server):
    port = silent_server.server_address[1]
    connect = "from django.db import connection; connection.ensure_connection()"

    result = run_manage(
        "shell",
        "-c",
        connect,
        environment={"DATABASE_URL": f"postgres://fichero@127.0.0.1:{port}/fichero"},
    )

    assert result.returncode != 0
    assert "timeout expired" in result.stderr
    assert len(silent_server.connections) == 1


def test_secrets_manager_that_never_answers_stops_start_up_naming_the_network(
    moto_server, silent_server
):
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fichero-AbCdEf"
    endpoint = f"http://127.0.0.1:{silent_server.server_address[1]}"

    # What a cold start does, once; `manage.py` would try the settings twice.
    result = run_python(
        "-c",
        "import django; django.setup()",
        environment={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DB_SECRET_ARN": arn,
            "AWS_ENDPOINT_URL": endpoint,
        },
    )

    assert result.returncode != 0
    assert (
        f"Cannot use database secret {arn}: Secrets Manager did not answer "
        "(ReadTimeoutError"
    ) in result.stderr
    assert "security group" in result.stderr
    assert len(silent_server.connections) == SECRET_READ_ATTEMPTS
