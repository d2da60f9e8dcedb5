"""
Variables left empty, as in a `.env` copied from `.env.example` and filled in
halfway, get their defaults; a MEDIA_ROOT that holds the code is refused.
"""

import json
import re
import shutil

import pytest

from tests.commands import PROJECT_DIR, run_manage

# What `manage.py` needs to start: the code, without `.env`, database or media.
PROJECT_PARTS = ["manage.py", "config", "accounts", "catalogs", "chat", "audit"]
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({name: repr(getattr(settings, name)) "
    "for name in dir(settings) if name.isupper()}))"
)


def example_variables():
    """Every variable `.env.example` explains, commented out or not."""
    text = (PROJECT_DIR / ".env.example").read_text()
    return re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)


@pytest.fixture
def project(tmp_path):
    """A copy of the project's code, so that a `.env` can be put beside it."""
    folder = tmp_path / "fichero"
    folder.mkdir()
    for part in PROJECT_PARTS:
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy(source, folder / part)
    return folder


def settings_of(project, environment=None):
    result = run_manage(
        "shell",
        "-c",
        PRINT_SETTINGS,
        environment=environment or {},
        project_dir=project,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_example_explains_the_optional_variables():
    assert {"MEDIA_ROOT", "LOG_FORMAT", "EXTRACTION_ASYNC"} <= set(example_variables())


def test_empty_variables_get_their_defaults(project):
    blank = dict.fromkeys(example_variables(), "")

    assert settings_of(project, blank) == settings_of(project)


def test_the_example_copied_to_env_as_it_is_keeps_every_default(project):
    defaults = settings_of(project)
    shutil.copy(PROJECT_DIR / ".env.example", project / ".env")

    assert settings_of(project) == defaults
    assert defaults["MEDIA_ROOT"] == repr(project / "media")
    assert defaults["LOG_FORMAT"] == "'text'"
    assert defaults["EXTRACTION_ASYNC"] == "False"


def test_cleanup_with_an_empty_media_root_leaves_the_code_alone(project):
    (project / ".env").write_text("MEDIA_ROOT=\n")
    assert run_manage("migrate", environment={}, project_dir=project).returncode == 0

    result = run_manage(
        "cleanup_orphans",
        "--older-than",
        "0",
        "--delete",
        environment={},
        project_dir=project,
    )

    assert result.returncode == 0, result.stderr
    assert "Removed 0 orphan(s) of 0 byte(s)." in result.stdout
    assert (project / "catalogs" / "models.py").is_file()


@pytest.mark.parametrize("media_root", [str(PROJECT_DIR), ".", "..", "/"])
def test_a_media_root_that_holds_the_code_is_refused(media_root):
    result = run_manage("check", environment={"MEDIA_ROOT": media_root})

    assert result.returncode != 0
    assert "ImproperlyConfigured: MEDIA_ROOT is" in result.stderr
    assert "holds Fichero's own code" in result.stderr


def test_a_media_root_of_its_own_is_used(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.MEDIA_ROOT)",
        environment={"MEDIA_ROOT": str(tmp_path / "files")},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "files")
