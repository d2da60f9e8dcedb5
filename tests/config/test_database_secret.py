import json
import os
import socket

import boto3
import pytest

from tests.commands import run_manage

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
