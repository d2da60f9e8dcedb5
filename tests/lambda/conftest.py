"""
The Lambda package, built once per test session, unpacked and running.

The function runs in its own Python process (`runtime.py`) whose import path
holds the unpacked zip and the packages Lambda's runtime provides, and reads
its database credentials from a Secrets Manager secret on the moto server.
"""

import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import boto3
import pytest

from .gateway import CUSTOM_HOST, STAGE, STAGE_HOST, rest_event

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PROVIDED_DIR = PROJECT_DIR / "build" / "lambda-provided"
REGION = "eu-west-1"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# Beside the suite's own database, when DATABASE_URL names one, so that runs
# on behalf of different databases never share the function's.
DATABASE_NAME = (
    f"{urlsplit(os.environ['DATABASE_URL']).path.strip('/')}_package"
    if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else "fichero_zappa"
)
INVOKE_TIMEOUT = 120

figures = {}


def pytest_terminal_summary(terminalreporter):
    if figures:
        terminalreporter.section("Lambda package")
        for name, value in figures.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def stage_settings():
    with open(PROJECT_DIR / "zappa_settings.json") as settings_file:
        return json.load(settings_file)[STAGE]


@pytest.fixture(scope="session")
def lambda_package(tmp_path_factory):
    """The zip `make package` builds, built here into a temporary folder."""
    output = tmp_path_factory.mktemp("package") / f"fichero-{STAGE}.zip"
    subprocess.run(
        [sys.executable, "deploy/package.py", "--stage", STAGE, "--output", output],
        cwd=PROJECT_DIR,
        check=True,
        timeout=900,
    )
    figures["zip size"] = f"{output.stat().st_size / 1e6:.1f} MB"
    return output


@pytest.fixture(scope="session")
def code_dir(lambda_package, tmp_path_factory):
    """The package unpacked, as Lambda unpacks it into /var/task."""
    folder = tmp_path_factory.mktemp("task")
    with zipfile.ZipFile(lambda_package) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="session")
def provided_dir():
    """boto3 and what it needs, at the version the runtime is tested with."""
    requirements = (HERE / "provided-requirements.txt").read_text()
    stamp = PROVIDED_DIR / "requirements.txt"
    if stamp.exists() and stamp.read_text() == requirements:
        return PROVIDED_DIR

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            PROVIDED_DIR,
            "--upgrade",
            "--requirement",
            HERE / "provided-requirements.txt",
        ],
        check=True,
        timeout=600,
    )
    stamp.write_text(requirements)
    return PROVIDED_DIR


def postgres_reachable():
    try:
        socket.create_connection((POSTGRES["host"], POSTGRES["port"]), 1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def database(moto_server, tmp_path_factory):
    """
    The function's database settings: a secret naming a fresh PostgreSQL
    database, or a SQLite file when no PostgreSQL server is reachable.
    """
    if not postgres_reachable():
        path = tmp_path_factory.mktemp("database") / "db.sqlite3"
        figures["database"] = "SQLite (no PostgreSQL server reachable)"
        yield {"vendor": "sqlite", "environment": {"DATABASE_URL": f"sqlite:///{path}"}}
        return

    import psycopg2

    server = psycopg2.connect(dbname="postgres", **POSTGRES)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE_NAME}")
    server.close()
    secret = json.dumps(
        {
            "engine": "postgres",
            "username": POSTGRES["user"],
            "password": "unused-with-trust-auth",
            "host": POSTGRES["host"],
            "port": POSTGRES["port"],
            "dbname": DATABASE_NAME,
        }
    )
    client = boto3.client("secretsmanager", region_name=REGION)
    arn = client.create_secret(
        Name=f"fichero/{STAGE}/database-{uuid.uuid4().hex[:6]}", SecretString=secret
    )["ARN"]
    figures["database"] = (
        f"PostgreSQL ({DATABASE_NAME}), through a Secrets Manager secret"
    )
    yield {"vendor": "postgresql", "environment": {"DB_SECRET_ARN": arn}}


def create_bucket(name):
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )


@pytest.fixture(scope="session")
def files_bucket(moto_server):
    name = f"fichero-package-files-{uuid.uuid4().hex[:8]}"
    create_bucket(name)
    return name


@pytest.fixture(scope="session")
def remote_settings(moto_server, stage_settings):
    """The stage's settings file on S3, holding what must not be committed."""
    bucket, _, key = stage_settings["remote_env"].removeprefix("s3://").partition("/")
    create_bucket(bucket)
    boto3.client("s3", region_name=REGION).put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps({"DJANGO_SECRET_KEY": uuid.uuid4().hex * 2}),
    )


class InvokeRecorder(BaseHTTPRequestHandler):
    """Lambda's Invoke API: accepts an asynchronous invocation and keeps it."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.invocations.append(
            {
                "function": unquote(self.path.split("/functions/")[1].split("/")[0]),
                "type": self.headers.get("X-Amz-Invocation-Type"),
                "payload": json.loads(body),
            }
        )
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def lambda_service():
    """
    Where the function sends its asynchronous tasks, as it would to Lambda.

    Tests deliver a kept invocation to the function themselves, as Lambda
    would run it in an instance of its own.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), InvokeRecorder)
    server.invocations = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def function_environment(
    moto_server,
    lambda_service,
    stage_settings,
    code_dir,
    database,
    files_bucket,
    remote_settings,
):
    """What Lambda puts in the environment of the function's process."""
    configured = {
        name: value
        for name, value in stage_settings["aws_environment_variables"].items()
        if name != "DB_SECRET_ARN"
    }
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": str(code_dir),
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "AWS_LAMBDA_FUNCTION_NAME": f"fichero-{STAGE}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(stage_settings["memory_size"]),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": moto_server,
        "AWS_ENDPOINT_URL_LAMBDA": f"http://127.0.0.1:{lambda_service.server_port}",
        **configured,
        **database["environment"],
        "AWS_STORAGE_BUCKET_NAME": files_bucket,
        "AWS_S3_ENDPOINT_URL": moto_server,
        "AWS_S3_REGION_NAME": REGION,
        "DJANGO_ALLOWED_HOSTS": f"{STAGE_HOST},{CUSTOM_HOST}",
        "CSRF_TRUSTED_ORIGINS": f"https://{STAGE_HOST},https://{CUSTOM_HOST}",
    }


class LambdaFunction:
    """The running function: `invoke` hands it one event, as Lambda would."""

    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path
        self.init = None

    def invoke(self, event):
        self.process.stdin.write(json.dumps(event).encode() + b"\n")
        self.process.stdin.flush()
        return self.read("response")

    def read(self, kind):
        readable, _, _ = select.select([self.process.stdout], [], [], INVOKE_TIMEOUT)
        line = self.process.stdout.readline() if readable else b""
        assert line, f"the function gave no answer; its log:\n{self.log()}"
        message = json.loads(line)
        assert kind in message, f"{message.get('error')}\nlog:\n{self.log()}"
        return message[kind]

    def log(self):
        return self.log_path.read_text()[-6000:]


@pytest.fixture(scope="session")
def files_before_serving(code_dir):
    """Every file of the unpacked package, listed before the function starts."""
    return {path.relative_to(code_dir) for path in code_dir.rglob("*")}


@pytest.fixture(scope="session")
def lambda_function(
    code_dir, provided_dir, function_environment, stage_settings, files_before_serving
):
    """
    The function, started from the package, with its database migrated.

    The cold start is timed from the start of the process to the end of the
    first response; it is a benchmark figure, not something to assert.
    """
    log_path = code_dir.parent / "function.log"
    command = [
        sys.executable,
        "-I",
        "-S",
        HERE / "runtime.py",
        code_dir,
        provided_dir,
        stage_settings["lambda_handler"],
    ]
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(part) for part in command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=function_environment,
        )
    function = LambdaFunction(process, log_path)

    function.init = function.read("ready")
    initialised = time.perf_counter()
    first = function.invoke(rest_event("GET", "/api/v1/health/"))
    answered = time.perf_counter()
    function.first_response = first
    figures["cold start (process start to first response)"] = (
        f"{answered - started:.2f} s, of which init {initialised - started:.2f} s"
    )

    function.invoke({"manage": "migrate --no-input"})
    function.invoke({"manage": "load_demo_data"})
    yield function

    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def postgres_backends(database):
    """A function listing the server processes connected to the test database."""
    if database["vendor"] != "postgresql":
        pytest.skip("connection reuse is observed on PostgreSQL only")

    import psycopg2

    server = psycopg2.connect(dbname="postgres", **POSTGRES)
    server.autocommit = True

    def backends(*, terminate=False):
        with server.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                [DATABASE_NAME],
            )
            pids = sorted(row[0] for row in cursor.fetchall())
            if terminate:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s",
                    [DATABASE_NAME],
                )
        return pids

    yield backends
    server.close()
