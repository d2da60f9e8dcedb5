"""
The Lambda package boots from the zip alone and serves through API Gateway.

Every test talks to the same running function (see `conftest.py`), through
events shaped as API Gateway's REST API sends them (see `gateway.py`).
"""

import gzip
import importlib.util
import io
import json
import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import docx
import pypdf
import pytest
import requests

from catalogs.management.commands.load_demo_data import DEMO_PASSWORD
from deploy.package import cached_name
from tests.chat.factories import pdf_bytes

from .gateway import (
    CLIENT_IP,
    CUSTOM_HOST,
    LAMBDA_PAYLOAD_LIMIT,
    STAGE,
    STAGE_HOST,
    Browser,
    HttpResponse,
    gateway_target,
    rest_event,
)

pytestmark = pytest.mark.lambda_package

ADMIN = "admin@example.com"
EDITOR = "editor@example.com"
HIDDEN_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form[^>]* action="([^"]+)"[^>]* method="post"')
LOGIN_LINK = re.compile(r"<a href='([^']+/api-auth/login/[^']*)'")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+base[^"]*\.css)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')
PYC_UNCHECKED_HASH = 0b01
# Zipped, without Zappa's slim handler.
PACKAGE_SIZE_GOAL = 15_000_000
# Django's system checks, run on the unpacked package alone.
CHECK_THE_PACKAGE = (
    "import sys; sys.path[:0] = sys.argv[1:]; import django; django.setup(); "
    "from django.core.management import call_command; call_command('check')"
)


def test_the_zip_carries_bytecode_that_needs_no_source_check(lambda_package):
    with zipfile.ZipFile(lambda_package) as archive:
        names = set(archive.namelist())
        modules = [name for name in names if name.endswith(".py")]
        bytecode = [
            cached_name("handler.py"),
            cached_name("config/settings.py"),
            "django/__init__.pyc",
        ]
        flags = {
            name: int.from_bytes(archive.read(name)[4:8], "little") for name in bytecode
        }
        magic = archive.read(cached_name("handler.py"))[:4]

    assert {"handler.py", "zappa_settings.py", "config/lambda_handler.py"} <= names
    assert [name for name in modules if cached_name(name) not in names] == []
    assert [name for name in modules if name.startswith("django/")] == []
    assert magic == importlib.util.MAGIC_NUMBER
    assert set(flags.values()) == {PYC_UNCHECKED_HASH}


def test_the_zip_is_within_its_size_goal(lambda_package):
    assert lambda_package.stat().st_size <= PACKAGE_SIZE_GOAL


def test_the_zip_leaves_out_development_files_and_what_lambda_provides(
    lambda_package,
):
    with zipfile.ZipFile(lambda_package) as archive:
        names = archive.namelist()
    top_level = {name.split("/")[0] for name in names}
    locales = {
        name.split("/locale/")[1].split("/")[0]
        for name in names
        if "/locale/" in name and name.endswith(".mo")
    }

    shipped_by_mistake = top_level & {
        "tests",
        "deploy",
        "bench",
        "pytest",
        "_pytest",
        "moto",
        "factory",
        "ruff",
        "boto3",
        "botocore",
        "troposphere",
        "pip",
        "setuptools",
        "manage.py",
        "requirements-dev.txt",
    }
    assert shipped_by_mistake == set()
    foreign = {locale for locale in locales if locale.split("_")[0] not in {"en", "es"}}

    assert {"en", "es"} <= locales
    assert foreign == set()
    assert "staticfiles" in top_level


def test_redis_url_stops_the_package_for_want_of_the_redis_package(
    code_dir, provided_dir, tmp_path
):
    def check(**environment):
        return subprocess.run(
            [sys.executable, "-I", "-S", "-B", "-c", CHECK_THE_PACKAGE]
            + [str(code_dir), str(provided_dir)],
            cwd=tmp_path,
            env={"DJANGO_SETTINGS_MODULE": "config.settings", **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )

    without_redis = check()
    with_redis = check(REDIS_URL="redis://127.0.0.1:6379/0")

    assert without_redis.returncode == 0, without_redis.stderr
    assert with_redis.returncode != 0
    assert "REDIS_URL is set, but the redis package is not installed" in (
        with_redis.stderr
    )
    assert "Add redis to requirements.txt to use it" in with_redis.stderr


def test_the_function_imports_nothing_from_the_project_or_its_venv(
    lambda_function, code_dir, provided_dir
):
    search_path = [Path(entry) for entry in lambda_function.init["sys_path"]]
    standard_library = Path(sys.base_prefix) / "lib"
    # Zappa's handler appends Lambda's code folder, which does not exist here.
    lambda_code_folder = Path("/var/task")

    assert search_path[:2] == [code_dir, provided_dir]
    assert all(
        entry.is_relative_to(standard_library) or entry == lambda_code_folder
        for entry in search_path[2:]
    ), search_path
    assert all(
        Path(path).is_relative_to(code_dir)
        for name, path in lambda_function.init["modules"].items()
        if name != "boto3"
    ), lambda_function.init["modules"]
    assert Path(lambda_function.init["modules"]["boto3"]).is_relative_to(provided_dir)


def test_health_reports_database_and_storage(lambda_function):
    first = HttpResponse.from_result(lambda_function.first_response)
    again = Browser(lambda_function).get("/api/v1/health/")

    for response in (first, again):
        assert response.status == 200, response.text
        assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}


def test_admin_login_page_and_its_stylesheet(lambda_function):
    browser = Browser(lambda_function)

    page = browser.get("/admin/login/")
    stylesheet_url = STYLESHEET.search(page.text).group(1)
    plain = browser.get(gateway_target(stylesheet_url))
    compressed = browser.get(
        gateway_target(stylesheet_url), headers=[("Accept-Encoding", "gzip")]
    )

    assert page.status == 200
    assert stylesheet_url.startswith(f"/{STAGE}/static/admin/css/base.")
    assert plain.status == 200
    assert plain.header("Content-Type").startswith("text/css")
    assert b"body" in plain.body
    assert compressed.header("Content-Encoding") == "gzip"
    assert gzip.decompress(compressed.body) == plain.body


def test_admin_form_loads_every_script_it_names(lambda_function):
    browser = Browser(lambda_function)
    log_in(browser, "/admin/")

    page = browser.get("/admin/catalogs/catalog/add/")
    scripts = [unescape(url) for url in SCRIPT.findall(page.text)]
    statuses = {url: browser.get(gateway_target(url)).status for url in scripts}

    assert page.status == 200, page.text
    assert any("/select2/i18n/" in url for url in scripts)
    assert any("/jquery/jquery.min." in url for url in scripts)
    assert statuses == dict.fromkeys(scripts, 200)


def test_api_schema_and_reference_page(lambda_function):
    browser = Browser(lambda_function)

    schema = browser.get("/api/v1/schema/", headers=[("Accept", "application/json")])
    docs = browser.get("/api/v1/docs/")

    assert schema.status == 200, schema.text
    assert schema.json()["info"]["title"] == "Fichero API"
    assert "/api/v1/health/" in schema.json()["paths"]
    assert docs.status == 200
    assert f"/{STAGE}/api/v1/schema/" in docs.text


def log_in(browser, start):
    """Log in as a browser does: follow the redirect, then post the form."""
    form = browser.follow(browser.get(start))
    fields = dict(HIDDEN_FIELD.findall(form.text))
    body = urlencode({**fields, "username": ADMIN, "password": DEMO_PASSWORD})

    return browser.post(
        gateway_target(form_action(form), host=browser.host),
        body.encode(),
        "application/x-www-form-urlencoded",
        headers=[("Origin", browser.origin), ("Referer", browser.origin + "/")],
    )


def form_action(page):
    return unescape(FORM_ACTION.search(page.text).group(1))


def test_admin_session_login_over_the_stage_url(lambda_function):
    browser = Browser(lambda_function)

    login = log_in(browser, "/admin/")
    index = browser.follow(login)

    assert login.status == 302, login.text
    assert login.header("Location") == f"/{STAGE}/admin/"
    assert index.status == 200
    assert "Site administration" in index.text
    assert f'action="/{STAGE}/admin/logout/"' in index.text


def test_two_cookies_arrive_as_two_set_cookie_headers(lambda_function):
    login = log_in(Browser(lambda_function), "/admin/")

    cookies = login.header_values("Set-Cookie")

    assert sorted(cookie.strip().split("=")[0] for cookie in cookies) == [
        "csrftoken",
        "sessionid",
    ]
    assert all("Secure" in cookie for cookie in cookies)


def test_browsable_api_session_login_and_links(lambda_function):
    browser = Browser(lambda_function)

    page = browser.get("/api/v1/", headers=[("Accept", "text/html")])
    login_link = LOGIN_LINK.search(page.text).group(1)
    form = browser.get(gateway_target(unescape(login_link)))
    fields = dict(HIDDEN_FIELD.findall(form.text))
    login = browser.post(
        gateway_target(form_action(form)),
        urlencode({**fields, "username": ADMIN, "password": DEMO_PASSWORD}).encode(),
        "application/x-www-form-urlencoded",
        headers=[("Origin", browser.origin)],
    )
    root = browser.get("/api/v1/", headers=[("Accept", "application/json")])
    page = browser.get("/api/v1/", headers=[("Accept", "text/html")])

    assert login.status == 302, login.text
    assert login.header("Location") == f"/{STAGE}/api/v1/"
    assert root.json()["health"] == f"https://{STAGE_HOST}/{STAGE}/api/v1/health/"
    assert ADMIN in page.text
    assert f'action="/{STAGE}/api/v1/api-auth/logout/' in page.text


@pytest.mark.parametrize(
    ("host", "http2", "prefix"),
    [
        (STAGE_HOST, False, f"/{STAGE}"),
        (STAGE_HOST, True, f"/{STAGE}"),
        (CUSTOM_HOST, False, ""),
        (CUSTOM_HOST, True, ""),
    ],
)
def test_redirects_carry_the_stage_prefix_only_on_the_execute_api_address(
    lambda_function, host, http2, prefix
):
    browser = Browser(lambda_function, host=host, http2=http2)

    response = browser.get("/admin/")
    links = browser.get("/api/v1/", headers=[("Accept", "application/json")])

    assert response.status == 302
    assert response.header("Location") == (
        f"{prefix}/admin/login/?next={prefix}/admin/"
    )
    assert links.json()["docs"] == f"https://{host}{prefix}/api/v1/docs/"


def test_repeated_query_key_reaches_the_view_with_both_values(lambda_function):
    browser = Browser(lambda_function)
    log_in(browser, "/admin/")

    users = browser.get("/admin/accounts/user/?role__exact=admin&role__exact=viewer")

    assert users.status == 200
    assert "admin@example.com" in users.text
    assert "viewer@example.com" in users.text
    assert "editor@example.com" not in users.text


def test_non_ascii_path_is_decoded(lambda_function):
    anonymous = Browser(lambda_function)
    staff = Browser(lambda_function)
    log_in(staff, "/admin/")

    redirect = anonymous.get("/admin/ñandú/")
    missing = staff.get("/admin/accounts/domain/ñandú/change/")
    index = staff.follow(missing)

    assert parse_qs(urlsplit(redirect.header("Location")).query)["next"] == [
        f"/{STAGE}/admin/%C3%B1and%C3%BA/"
    ]
    assert missing.status == 302
    assert "Domain with ID “ñandú” doesn’t exist" in unescape(index.text)


def test_request_body_over_the_limit_is_a_json_413(lambda_function, stage_settings):
    limit = int(stage_settings["environment_variables"]["UPLOAD_MAX_BYTES"])
    body = bytes(range(256)) * ((limit + 128 * 1024) // 256)
    event = rest_event(
        "POST",
        "/api/v1/health/",
        headers=[("Content-Type", "application/octet-stream")],
        body=body,
    )

    response = HttpResponse.from_result(lambda_function.invoke(event))

    assert len(json.dumps(event)) < LAMBDA_PAYLOAD_LIMIT
    assert response.status == 413
    assert response.json()["code"] == "upload_too_large"
    assert response.json()["max_bytes"] == limit
    assert "/api/v1/catalogs/{id}/uploads/" in response.json()["detail"]


def test_database_connection_is_reused_and_survives_a_restart(
    lambda_function, postgres_backends
):
    browser = Browser(lambda_function)
    browser.get("/api/v1/health/")
    first = postgres_backends()
    browser.get("/api/v1/health/")
    reused = postgres_backends()

    postgres_backends(terminate=True)  # what a restart does to open connections
    after_restart = browser.get("/api/v1/health/")

    assert len(first) == 1
    assert reused == first
    assert after_restart.status == 200
    assert after_restart.json()["database"] == "ok"
    assert postgres_backends() not in ([], first)


def multipart(name, filename, content):
    boundary = "fichero-package-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def with_token(lambda_function, email):
    """A client holding an API token of the demo user `email`."""
    browser = Browser(lambda_function)
    credentials = {"email": email, "password": DEMO_PASSWORD}
    token = browser.post(
        "/api/v1/auth/token/", json.dumps(credentials).encode(), "application/json"
    )
    assert token.status == 201, token.text

    browser.headers = [("Authorization", f"Token {token.json()['token']}")]
    return browser


def upload(browser, file_name, content):
    """Upload `content` into a new catalog; return the new file."""
    catalog = browser.post(
        "/api/v1/catalogs/",
        json.dumps({"name": f"Package test: {file_name}"}).encode(),
        "application/json",
    )
    assert catalog.status == 201, catalog.text

    body, content_type = multipart("file", file_name, content)
    response = browser.post(
        f"/api/v1/catalogs/{catalog.json()['id']}/files/", body, content_type
    )
    assert response.status == 201, response.text
    return response.json()


def test_token_upload_and_presigned_download_round_trip(lambda_function):
    browser = with_token(lambda_function, EDITOR)
    content = bytes(range(256))

    file = upload(browser, "every-byte.bin", content)
    download = browser.get(f"/api/v1/files/{file['id']}/download/")
    fetched = requests.get(download.header("Location"), timeout=30)

    assert download.status == 302
    assert fetched.status_code == 200
    assert fetched.content == content


def encrypted_pdf(algorithm):
    """A PDF anyone may open, encrypted with `algorithm` to restrict editing."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes(HARBOUR_REPORT)))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_document():
    document = docx.Document()
    document.add_paragraph(HARBOUR_REPORT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HARBOUR_REPORT = "Quarterly figures for the harbour office."
DOCUMENTS = {
    "notes.txt": lambda: HARBOUR_REPORT.encode(),
    "report.pdf": lambda: pdf_bytes(HARBOUR_REPORT),
    "aes-256.pdf": lambda: encrypted_pdf("AES-256"),
    "aes-128.pdf": lambda: encrypted_pdf("AES-128"),
    "rc4.pdf": lambda: encrypted_pdf("RC4-128"),
    "report.docx": docx_document,
}


@pytest.mark.parametrize("file_name", DOCUMENTS)
def test_text_extraction_runs_in_an_asynchronous_invocation(
    lambda_function, lambda_service, file_name
):
    browser = with_token(lambda_function, EDITOR)
    already_sent = len(lambda_service.invocations)

    file = upload(browser, file_name, DOCUMENTS[file_name]())
    versions = f"/api/v1/files/{file['id']}/versions/"
    before = browser.get(versions).json()["results"][0]
    (invocation,) = lambda_service.invocations[already_sent:]
    lambda_function.invoke(invocation["payload"])
    after = browser.get(versions).json()["results"][0]

    assert invocation["function"] == f"fichero-{STAGE}"
    assert invocation["type"] == "Event"
    assert invocation["payload"]["task_path"] == "chat.tasks.version_extract_task"
    assert before["extraction_status"] == "pending"
    assert after["extraction_status"] == "done", after


def test_a_task_after_a_database_restart_opens_a_new_connection(
    lambda_function, lambda_service, postgres_backends
):
    browser = with_token(lambda_function, EDITOR)
    already_sent = len(lambda_service.invocations)
    upload(browser, "before-the-restart.txt", HARBOUR_REPORT.encode())
    file = upload(browser, "after-the-restart.txt", HARBOUR_REPORT.encode())
    before, after = lambda_service.invocations[already_sent:]

    lambda_function.invoke(before["payload"])
    postgres_backends(terminate=True)  # what a restart does to open connections
    lambda_function.invoke(after["payload"])
    versions = browser.get(f"/api/v1/files/{file['id']}/versions/")

    assert versions.json()["results"][0]["extraction_status"] == "done"


def test_client_address_is_api_gateways_source_ip_not_a_forwarded_claim(
    lambda_function,
):
    editor = with_token(lambda_function, EDITOR)
    admin = with_token(lambda_function, ADMIN)

    catalog = editor.post(
        "/api/v1/catalogs/",
        json.dumps({"name": "Created from a forged address"}).encode(),
        "application/json",
        headers=[("X-Forwarded-For", "6.6.6.6")],
    )
    activity = admin.get(
        f"/api/v1/activity/?action=catalog.created&target_id={catalog.json()['id']}"
    )

    assert catalog.status == 201, catalog.text
    (entry,) = activity.json()["results"]
    assert entry["ip_address"] == CLIENT_IP


@pytest.mark.parametrize(
    ("host", "prefix"), [(STAGE_HOST, f"/{STAGE}"), (CUSTOM_HOST, "")]
)
def test_pagination_links_carry_the_stage_prefix_only_on_the_execute_api_address(
    lambda_function, host, prefix
):
    browser = Browser(lambda_function, host=host)
    log_in(browser, "/admin/")
    write_headers = [
        ("X-CSRFToken", browser.cookies["csrftoken"]),
        ("Origin", browser.origin),
        ("Referer", browser.origin + "/"),
    ]
    for name in ("First", "Second"):
        browser.post(
            "/api/v1/catalogs/",
            json.dumps({"name": f"{name} of {host}"}).encode(),
            "application/json",
            headers=write_headers,
        )

    page = browser.get("/api/v1/catalogs/?page_size=1")
    second = browser.get(gateway_target(page.json()["next"], host=host))

    assert page.json()["next"] == (
        f"https://{host}{prefix}/api/v1/catalogs/?page=2&page_size=1"
    )
    assert second.json()["previous"] == (
        f"https://{host}{prefix}/api/v1/catalogs/?page_size=1"
    )


def test_scheduled_cleanup_runs_and_spares_uploads_in_progress(
    lambda_function, files_bucket, stage_settings
):
    (schedule,) = stage_settings["events"]
    rule = f"fichero-{STAGE}-{schedule['function']}"
    event = {
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "resources": [f"arn:aws:events:eu-west-1:123456789012:rule/{rule}"],
    }
    s3 = boto3.client("s3", region_name="eu-west-1")
    young_orphan = "catalogs/0/an-upload-on-its-way.bin"
    s3.put_object(Bucket=files_bucket, Key=young_orphan, Body=b"x")

    lambda_function.invoke(event)

    kept = s3.list_objects_v2(Bucket=files_bucket, Prefix="catalogs/")["Contents"]
    assert "Scheduled cleanup of orphaned files started" in lambda_function.log()
    assert young_orphan in [item["Key"] for item in kept]


def test_serving_wrote_no_bytecode_into_the_code_folder(
    lambda_function, code_dir, files_before_serving
):
    # Lambda's code folder is read-only: a module whose cached bytecode
    # Python did not trust would be compiled again on every cold start.
    Browser(lambda_function).get("/admin/login/")

    files_now = {path.relative_to(code_dir) for path in code_dir.rglob("*")}

    assert files_now - files_before_serving == set()
