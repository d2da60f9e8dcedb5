import pytest

from tests.commands import run_manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp" * 12,
    "DJANGO_ALLOWED_HOSTS": "abc123.execute-api.eu-west-1.amazonaws.com",
    "CSRF_TRUSTED_ORIGINS": "https://abc123.execute-api.eu-west-1.amazonaws.com",
}


def test_deploy_check_is_clean_in_production_mode():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without(missing):
    environment = {**PRODUCTION}
    del environment[missing]

    result = run_manage("check", environment=environment)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_logs_are_json_lines():
    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('fichero').warning('hello %s', 'json')",
        environment=PRODUCTION,
    )

    line = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stderr
    assert '"message": "hello json"' in line
    assert '"level": "WARNING"' in line
