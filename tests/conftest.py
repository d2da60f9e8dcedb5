import logging
import os
import socket
import uuid
from pathlib import Path

import boto3
import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.accounts.factories import (
    AdminFactory,
    DomainFactory,
    EditorFactory,
    UserFactory,
)

# Beside the repository, unless FICHERO_CORPUS_DIR says where it is.
CORPUS_DIR = Path(
    os.environ.get("FICHERO_CORPUS_DIR")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
)
TEST_REGION = "us-east-1"
# The Redis server of the tests that use one; they are skipped without it.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def pytest_collection_modifyitems(items):
    """Skip the tests marked `postgres` unless the database is PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    needs_postgresql = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(needs_postgresql)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep every stored file of a test in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def domain(db):
    """The allowed domain of the people below."""
    return DomainFactory(name="example.org")


@pytest.fixture
def admin(domain):
    return AdminFactory(email="ada@example.org", first_name="Ada")


@pytest.fixture
def editor(domain):
    return EditorFactory(email="eddie@example.org", first_name="Eddie")


@pytest.fixture
def viewer(domain):
    return UserFactory(email="vera@example.org", first_name="Vera", last_name="Lind")


@pytest.fixture
def api():
    """An API client per user: `api(user)`, the user logged in by force."""

    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def corpus_dir():
    """The shared folder of real documents; tests skip when it is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip("the shared document corpus is not available")
    return CORPUS_DIR


def free_loopback_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_server():
    """
    A moto server on a free loopback port, speaking S3 and Secrets Manager.

    boto3 everywhere in the process (django-storages included) is pointed at
    it through `AWS_ENDPOINT_URL`, with throwaway credentials.
    """
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_loopback_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    environment = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": TEST_REGION,
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    yield endpoint
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    server.stop()


@pytest.fixture
def s3_bucket(moto_server):
    """A fresh, empty bucket on the moto server."""
    name = f"fichero-test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", region_name=TEST_REGION).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_storage(settings, moto_server, s3_bucket):
    """Make django-storages' S3 backend the default storage, on a fresh bucket."""
    settings.AWS_STORAGE_BUCKET_NAME = s3_bucket
    settings.AWS_S3_ENDPOINT_URL = moto_server
    settings.AWS_S3_REGION_NAME = TEST_REGION
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return s3_bucket


@pytest.fixture
def unreachable_database(transactional_db):
    """The default PostgreSQL database, moved to a port where nothing listens."""
    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_loopback_port()))
    yield
    connection.close()
    connection.settings_dict.update(HOST=real["HOST"], PORT=real["PORT"])


@pytest.fixture
def throttle_rates(settings):
    """Set the rates of throttle scopes for one test: `throttle_rates(chat="2/m")`."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }

    return set_rates


@pytest.fixture
def redis_throttle_cache(settings):
    """
    Keep the throttling counts in Redis, under a key prefix of this test's own.

    Returns a function that lists the keys stored there, without the prefix.
    Other runs may share the server: only this test's keys are removed after.
    """
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis server answers at {TEST_REDIS_URL}")

    prefix = f"fichero-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }

    def stored_keys():
        keys = client.keys(f"{prefix}:*")
        return sorted(key.decode().removeprefix(f"{prefix}:1:") for key in keys)

    yield stored_keys
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["database", "redis"])
def throttle_store(request, db):
    """Run a test with the throttling counts in the database, then in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_throttle_cache")
    return request.param
