"""
Where the database settings come from.

In order: an AWS Secrets Manager secret in the RDS JSON format, a
`DATABASE_URL`, or a SQLite file for development. The secret is read once per
process, so a Lambda instance pays for it only on its cold start.
"""

import json
import logging

import environ
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

SECRET_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
}
SECRET_KEYS = ("username", "password", "host", "dbname")
# Out of the function's reach (a wrong security group, subnet or VPC
# endpoint), the database and Secrets Manager fail with an error that names
# them, long before Lambda ends the invocation. The secret is read during a
# cold start, for which Lambda allows 10 s.
CONNECT_TIMEOUT_SECONDS = 5
SECRET_CONNECT_TIMEOUT_SECONDS = 2
SECRET_READ_TIMEOUT_SECONDS = 3
SECRET_READ_ATTEMPTS = 2


def database_config(*, secret_arn, database_url, sqlite_path, conn_max_age):
    """Return the `DATABASES["default"]` dictionary for this process."""
    if secret_arn:
        config = database_from_secret(secret_arn)
    elif database_url:
        config = environ.Env.db_url_config(database_url)
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            # Take the write lock when a transaction starts, so that two
            # requests writing at once wait for each other instead of failing
            # with "database is locked" halfway through.
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }

    if config["ENGINE"] != "django.db.backends.sqlite3":
        # Warm Lambda invocations reuse the connection; a connection that
        # died with a database restart is replaced before the next request.
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", CONNECT_TIMEOUT_SECONDS
        )
    return config


def database_from_secret(secret_arn):
    """Read an RDS-format secret and turn it into Django database settings."""
    try:
        secret = json.loads(fetch_secret_string(secret_arn))
        if not isinstance(secret, dict):
            raise ValueError("the secret is not a JSON object")
        missing = [key for key in SECRET_KEYS if not secret.get(key)]
        if missing:
            raise ValueError(f"missing keys: {', '.join(missing)}")
        engine = SECRET_ENGINES.get(secret.get("engine", "postgres"))
        if engine is None:
            raise ValueError(f"unsupported engine {secret['engine']!r}")
    except Exception as error:
        reason = describe_secret_error(error)
        logger.critical("Cannot use database secret %s: %s", secret_arn, reason)
        raise ImproperlyConfigured(
            f"Cannot use database secret {secret_arn}: {reason}"
        ) from None

    return {
        "ENGINE": engine,
        "NAME": secret["dbname"],
        "USER": secret["username"],
        "PASSWORD": secret["password"],
        "HOST": secret["host"],
        "PORT": str(secret.get("port") or 5432),
    }


def fetch_secret_string(secret_arn):
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "secretsmanager",
        config=Config(
            connect_timeout=SECRET_CONNECT_TIMEOUT_SECONDS,
            read_timeout=SECRET_READ_TIMEOUT_SECONDS,
            retries={"mode": "standard", "total_max_attempts": SECRET_READ_ATTEMPTS},
        ),
    )
    return client.get_secret_value(SecretId=secret_arn)["SecretString"]


def describe_secret_error(error):
    """Say why a secret failed without ever quoting its content."""
    from botocore import exceptions as botocore_errors

    if isinstance(error, json.JSONDecodeError):
        return "the secret is not valid JSON"
    if isinstance(error, ValueError):
        return str(error)
    if isinstance(
        error, botocore_errors.ConnectionError | botocore_errors.HTTPClientError
    ):
        return (
            f"Secrets Manager did not answer ({type(error).__name__}: {error}); "
            "check the function's subnets, its security group and the VPC "
            "endpoint of Secrets Manager"
        )
    return f"{type(error).__name__}: {error}"
