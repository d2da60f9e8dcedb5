"""
The "throttle" cache: a table that `migrate` makes, or Redis with REDIS_URL,
which needs the redis package.
"""

import sqlite3

import pytest
from django.db import connection

from tests.commands import run_manage
from tests.conftest import TEST_REDIS_URL


@pytest.mark.django_db
def test_the_test_database_has_the_throttle_table():
    assert "throttle_cache" in connection.introspection.table_names()


def table_names(path):
    database = sqlite3.connect(path)
    names = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    database.close()
    return names


def test_migrate_alone_creates_the_throttle_table_and_unmigrating_drops_it(
    tmp_path,
):
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    migrated = run_manage("migrate", "--no-input", environment=environment)
    tables_then = table_names(tmp_path / "db.sqlite3")
    unmigrated = run_manage(
        "migrate", "--no-input", "accounts", "0002", environment=environment
    )

    assert migrated.returncode == 0, migrated.stderr
    assert "throttle_cache" in tables_then
    assert unmigrated.returncode == 0, unmigrated.stderr
    assert "throttle_cache" not in table_names(tmp_path / "db.sqlite3")


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [("", "DatabaseCache"), (TEST_REDIS_URL, "RedisCache")],
)
def test_redis_url_decides_where_the_counts_are_kept(redis_url, backend):
    result = run_manage(
        "shell",
        "-c",
        "from django.core.cache import caches; "
        "print(type(caches['throttle']).__name__)",
        environment={"REDIS_URL": redis_url},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == backend


def test_redis_url_with_the_redis_package_installed_passes_the_checks():
    result = run_manage("check", environment={"REDIS_URL": TEST_REDIS_URL})

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
