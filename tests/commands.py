"""Run `manage.py`, or Python, in a fresh process, as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Settings of the test run that must not leak into the child process.
TEST_ONLY_VARIABLES = {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DATABASE_URL"}


def run_manage(*args, environment, project_dir=PROJECT_DIR):
    return run_python(
        "manage.py", *args, environment=environment, project_dir=project_dir
    )


def run_python(*args, environment, project_dir=PROJECT_DIR):
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in TEST_ONLY_VARIABLES
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=project_dir,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
