import pytest
from django.urls import set_script_prefix

from config.storages import StaticFilesStorage


@pytest.fixture
def manifest_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"admin/base.css": "admin/base.0123abcd.css"}, "version": "1.1"}'
    )
    yield StaticFilesStorage()
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("prefix", "url"),
    [
        ("/", "/static/admin/base.0123abcd.css"),
        ("/production/", "/production/static/admin/base.0123abcd.css"),
    ],
)
def test_static_urls_follow_the_script_prefix_of_each_request(
    manifest_storage, prefix, url
):
    set_script_prefix(prefix)

    assert manifest_storage.url("admin/base.css") == url
