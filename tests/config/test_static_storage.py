from django.urls import set_script_prefix

from config.storages import StaticFilesStorage


def test_static_urls_follow_the_script_prefix_of_each_request(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"admin/base.css": "admin/base.0123abcd.css"}, "version": "1.1"}'
    )
    storage = StaticFilesStorage()

    try:
        set_script_prefix("/production/")
        through_the_stage = storage.url("admin/base.css")
        set_script_prefix("/")
        through_a_domain = storage.url("admin/base.css")
    finally:
        set_script_prefix("/")

    assert through_the_stage == "/production/static/admin/base.0123abcd.css"
    assert through_a_domain == "/static/admin/base.0123abcd.css"
