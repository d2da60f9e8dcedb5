"""
Every action code, performed as a person performs it, records one entry.

Each test below does one action through the API, the Django admin or a
management command, then checks that the action recorded exactly one entry
(and nothing else, unless it says so), naming who acted and what they acted
on, with the old and new values of what changed, and that no password,
token, question or file content got into it. The last test checks that no
code in `Action` lacks its test here.
"""

import json
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Domain, User
from audit.actions import Action
from audit.models import ActivityLog
from catalogs.models import Access, CatalogPermission, File, Upload, Version
from catalogs.services import file_upload
from chat.models import Conversation
from tests.accounts.factories import TEST_PASSWORD, DomainFactory
from tests.audit.factories import ActivityFactory
from tests.catalogs.factories import CatalogFactory, GrantFactory
from tests.catalogs.http import upload_body
from tests.chat.factories import ConversationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-93"
CONTENT = b"the quarterly figures are confidential\n"
QUESTION = "Where are the quarterly figures kept?"

PERFORMED = {}


def performs(action):
    """Mark the test below as the one that performs `action`."""

    def register(test):
        assert action not in PERFORMED, f"{action} has two tests here"
        PERFORMED[action] = test.__name__
        return test

    return register


@pytest.fixture
def lockout_on(settings):
    """Logins go through django-axes, as they do outside the tests."""
    settings.AXES_ENABLED = True


def about(obj):
    """What an entry about `obj` names as its target."""
    return obj._meta.label_lower, str(obj.pk)


def head():
    """The newest entry so far: what the test's "given" recorded ends here."""
    return ActivityLog.objects.aggregate(head=Max("sequence"))["head"] or 0


def recorded_once(
    action, *, since, actor, target=("", ""), changes=None, alongside=(), hidden=()
):
    """
    Then: `action` recorded one entry after `since`, as described.

    `alongside` lists the other codes the same request records; `hidden`
    lists texts that must appear nowhere in the entry.
    """
    new = list(ActivityLog.objects.filter(sequence__gt=since))
    assert sorted(entry.action for entry in new) == sorted([action, *alongside])

    [entry] = [entry for entry in new if entry.action == action]
    assert entry.actor_id == (actor.pk if actor else None)
    assert (entry.target_type, entry.target_id) == target
    assert entry.changes == (changes or {})
    stored = json.dumps(
        [entry.target_label, entry.changes, entry.details], ensure_ascii=False
    )
    for text in hidden:
        assert text not in stored
    return entry


def stored_file(catalog, uploader):
    """A file of `catalog` whose one version holds `CONTENT`."""
    content = ContentFile(CONTENT, name="figures.txt")
    return file_upload(catalog=catalog, uploader=uploader, content=content)


# The Django admin, for the failed logins no service deletes


@performs(Action.ADMIN_DELETED)
def test_deleting_a_failed_login_in_the_admin_lifts_the_lockout(
    lockout_on, admin_client, admin_user, viewer
):
    browser = APIClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        browser.post(
            "/api/v1/auth/login/", {"email": viewer.email, "password": "wrong"}
        )
    attempt = AccessAttempt.objects.get(username=viewer.email)
    since = head()

    response = admin_client.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    recorded_once(
        Action.ADMIN_DELETED, since=since, actor=admin_user, target=about(attempt)
    )
    login = browser.post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": TEST_PASSWORD}
    )
    assert login.status_code == 200


# The activity log itself


@performs(Action.ACTIVITY_EXPORTED)
def test_exporting_the_log(admin_api, admin_user):
    since = head()

    response = admin_api.get("/api/v1/activity/", {"format": "csv"})
    b"".join(response.streaming_content)

    entry = recorded_once(Action.ACTIVITY_EXPORTED, since=since, actor=admin_user)
    assert entry.details == {"query": "format=csv"}


@performs(Action.ACTIVITY_PRUNED)
def test_pruning_the_log():
    ActivityFactory()
    cutoff = timezone.now().isoformat()
    since = head()

    call_command("prune_activity_log", "--before", cutoff, stdout=StringIO())

    entry = recorded_once(Action.ACTIVITY_PRUNED, since=since, actor=None)
    assert entry.details["removed"] == 1


# Authentication


@performs(Action.AUTH_LOGIN)
def test_logging_in(lockout_on, viewer):
    since = head()

    response = APIClient().post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    recorded_once(
        Action.AUTH_LOGIN,
        since=since,
        actor=viewer,
        target=about(viewer),
        hidden=[TEST_PASSWORD],
    )


@performs(Action.AUTH_LOGIN_FAILED)
def test_failing_to_log_in(lockout_on, viewer):
    since = head()

    response = APIClient().post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": "hunter2-wrong"}
    )

    assert response.status_code == 400
    recorded_once(
        Action.AUTH_LOGIN_FAILED,
        since=since,
        actor=None,
        target=about(viewer),
        hidden=["hunter2-wrong"],
    )


@performs(Action.AUTH_LOGOUT)
def test_logging_out(lockout_on, viewer):
    browser = APIClient()
    browser.post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": TEST_PASSWORD}
    )
    since = head()

    response = browser.post("/api/v1/auth/logout/")

    assert response.status_code == 204
    recorded_once(Action.AUTH_LOGOUT, since=since, actor=viewer, target=about(viewer))


@performs(Action.AUTH_LOCKED_OUT)
def test_failing_to_log_in_once_too_often(lockout_on, viewer):
    browser = APIClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        browser.post(
            "/api/v1/auth/login/", {"email": viewer.email, "password": "wrong"}
        )
    since = head()

    response = browser.post(
        "/api/v1/auth/login/", {"email": viewer.email, "password": "wrong"}
    )

    assert response.status_code == 429
    recorded_once(
        Action.AUTH_LOCKED_OUT,
        since=since,
        actor=None,
        target=about(viewer),
        alongside=[Action.AUTH_LOGIN_FAILED],
    )


@performs(Action.AUTH_PASSWORD_CHANGED)
def test_changing_ones_own_password_in_the_admin(admin):
    AuthToken.objects.create(user=admin)
    browser = Client()
    browser.force_login(admin)
    since = head()

    response = browser.post(
        "/admin/password_change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.check_password(NEW_PASSWORD)
    assert browser.get("/admin/").status_code == 200
    assert not AuthToken.objects.exists()
    entry = recorded_once(
        Action.AUTH_PASSWORD_CHANGED,
        since=since,
        actor=admin,
        target=about(admin),
        hidden=[TEST_PASSWORD, NEW_PASSWORD],
    )
    assert entry.details == {"tokens_revoked": 1, "usable": True}


@performs(Action.AUTH_TOKEN_CREATED)
def test_asking_for_a_token(lockout_on, viewer):
    since = head()

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": viewer.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 201
    recorded_once(
        Action.AUTH_TOKEN_CREATED,
        since=since,
        actor=viewer,
        target=about(viewer),
        hidden=[response.json()["token"], TEST_PASSWORD],
    )


@performs(Action.AUTH_TOKEN_REVOKED)
def test_revoking_a_token(viewer):
    _, secret = AuthToken.objects.create(user=viewer)
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    since = head()

    response = script.delete("/api/v1/auth/token/")

    assert response.status_code == 204
    recorded_once(
        Action.AUTH_TOKEN_REVOKED,
        since=since,
        actor=viewer,
        target=about(viewer),
        hidden=[secret],
    )


# Users and allowed domains


@performs(Action.USER_REGISTERED)
def test_signing_up(domain):
    since = head()

    response = APIClient().post(
        "/api/v1/auth/register/",
        {"email": "ana@example.org", "password": NEW_PASSWORD},
    )

    assert response.status_code == 201
    user = User.objects.get(email="ana@example.org")
    recorded_once(
        Action.USER_REGISTERED,
        since=since,
        actor=user,
        target=about(user),
        hidden=[NEW_PASSWORD],
    )


@performs(Action.USER_CREATED)
def test_creating_a_user(domain, admin_api, admin_user):
    since = head()

    response = admin_api.post(
        "/api/v1/users/",
        {"email": "new@example.org", "password": NEW_PASSWORD, "role": "editor"},
    )

    assert response.status_code == 201
    user = User.objects.get(email="new@example.org")
    entry = recorded_once(
        Action.USER_CREATED,
        since=since,
        actor=admin_user,
        target=about(user),
        hidden=[NEW_PASSWORD],
    )
    assert entry.details == {"role": "editor"}


@performs(Action.USER_UPDATED)
def test_changing_a_users_role(admin_api, admin_user, viewer):
    since = head()

    response = admin_api.patch(f"/api/v1/users/{viewer.pk}/", {"role": "editor"})

    assert response.status_code == 200
    recorded_once(
        Action.USER_UPDATED,
        since=since,
        actor=admin_user,
        target=about(viewer),
        changes={"role": ["viewer", "editor"]},
    )


@performs(Action.USER_DEACTIVATED)
def test_deactivating_a_user(admin_api, admin_user, viewer):
    since = head()

    response = admin_api.patch(f"/api/v1/users/{viewer.pk}/", {"is_active": False})

    assert response.status_code == 200
    recorded_once(
        Action.USER_DEACTIVATED,
        since=since,
        actor=admin_user,
        target=about(viewer),
        changes={"is_active": [True, False]},
    )


@performs(Action.USER_DELETED)
def test_deleting_a_user(admin_api, admin_user, viewer):
    target = about(viewer)
    since = head()

    response = admin_api.delete(f"/api/v1/users/{viewer.pk}/")

    assert response.status_code == 204
    recorded_once(Action.USER_DELETED, since=since, actor=admin_user, target=target)


@performs(Action.DOMAIN_CREATED)
def test_allowing_a_domain(admin_api, admin_user):
    since = head()

    response = admin_api.post("/api/v1/domains/", {"name": "partner.org"})

    assert response.status_code == 201
    domain = Domain.objects.get(name="partner.org")
    recorded_once(
        Action.DOMAIN_CREATED, since=since, actor=admin_user, target=about(domain)
    )


@performs(Action.DOMAIN_UPDATED)
def test_changing_a_domains_default_role(admin_api, admin_user):
    domain = DomainFactory(name="partner.org")
    since = head()

    response = admin_api.patch(
        f"/api/v1/domains/{domain.pk}/", {"default_role": "editor"}
    )

    assert response.status_code == 200
    recorded_once(
        Action.DOMAIN_UPDATED,
        since=since,
        actor=admin_user,
        target=about(domain),
        changes={"default_role": ["viewer", "editor"]},
    )


@performs(Action.DOMAIN_DEACTIVATED)
def test_deactivating_a_domain(admin_api, admin_user):
    domain = DomainFactory(name="partner.org")
    since = head()

    response = admin_api.patch(f"/api/v1/domains/{domain.pk}/", {"is_active": False})

    assert response.status_code == 200
    recorded_once(
        Action.DOMAIN_DEACTIVATED,
        since=since,
        actor=admin_user,
        target=about(domain),
        changes={"is_active": [True, False]},
    )


@performs(Action.DOMAIN_DELETED)
def test_deleting_an_unused_domain(admin_api, admin_user):
    domain = DomainFactory(name="partner.org")
    target = about(domain)
    since = head()

    response = admin_api.delete(f"/api/v1/domains/{domain.pk}/")

    assert response.status_code == 204
    recorded_once(Action.DOMAIN_DELETED, since=since, actor=admin_user, target=target)


# Catalogs and their grants


@performs(Action.CATALOG_CREATED)
def test_creating_a_catalog(api, editor):
    since = head()

    response = api(editor).post("/api/v1/catalogs/", {"name": "Minutes"})

    assert response.status_code == 201
    recorded_once(
        Action.CATALOG_CREATED,
        since=since,
        actor=editor,
        target=("catalogs.catalog", str(response.json()["id"])),
    )


@performs(Action.CATALOG_UPDATED)
def test_renaming_a_catalog(api, editor):
    catalog = CatalogFactory(owner=editor, name="Minutes")
    since = head()

    response = api(editor).patch(
        f"/api/v1/catalogs/{catalog.pk}/", {"name": "Board minutes"}
    )

    assert response.status_code == 200
    recorded_once(
        Action.CATALOG_UPDATED,
        since=since,
        actor=editor,
        target=about(catalog),
        changes={"name": ["Minutes", "Board minutes"]},
    )


@performs(Action.CATALOG_DELETED)
def test_deleting_an_empty_catalog(api, editor):
    catalog = CatalogFactory(owner=editor)
    target = about(catalog)
    since = head()

    response = api(editor).delete(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 204
    recorded_once(Action.CATALOG_DELETED, since=since, actor=editor, target=target)


@performs(Action.PERMISSION_GRANTED)
def test_granting_access(api, editor, viewer):
    catalog = CatalogFactory(owner=editor)
    since = head()

    response = api(editor).post(
        f"/api/v1/catalogs/{catalog.pk}/permissions/",
        {"email": viewer.email, "access": "read"},
    )

    assert response.status_code == 201
    entry = recorded_once(
        Action.PERMISSION_GRANTED, since=since, actor=editor, target=about(catalog)
    )
    assert entry.details == {"user": viewer.pk, "access": "read"}


@performs(Action.PERMISSION_CHANGED)
def test_changing_access(api, editor, viewer):
    grant = GrantFactory(
        catalog=CatalogFactory(owner=editor), user=viewer, access=Access.READ
    )
    since = head()

    response = api(editor).patch(
        f"/api/v1/catalogs/{grant.catalog_id}/permissions/{grant.pk}/",
        {"access": "write"},
    )

    assert response.status_code == 200
    recorded_once(
        Action.PERMISSION_CHANGED,
        since=since,
        actor=editor,
        target=about(grant.catalog),
        changes={"access": ["read", "write"]},
    )


@performs(Action.PERMISSION_REVOKED)
def test_revoking_access(api, editor, viewer):
    grant = GrantFactory(catalog=CatalogFactory(owner=editor), user=viewer)
    since = head()

    response = api(editor).delete(
        f"/api/v1/catalogs/{grant.catalog_id}/permissions/{grant.pk}/"
    )

    assert response.status_code == 204
    assert not CatalogPermission.objects.exists()
    recorded_once(
        Action.PERMISSION_REVOKED,
        since=since,
        actor=editor,
        target=about(grant.catalog),
    )


# Files, versions and direct uploads


@performs(Action.FILE_UPLOADED)
def test_uploading_a_file(api, editor):
    catalog = CatalogFactory(owner=editor)
    since = head()

    response = api(editor).post(
        f"/api/v1/catalogs/{catalog.pk}/files/", upload_body(CONTENT)
    )

    assert response.status_code == 201
    recorded_once(
        Action.FILE_UPLOADED,
        since=since,
        actor=editor,
        target=about(File.objects.get()),
        hidden=[CONTENT.decode()],
    )


@performs(Action.FILE_RENAMED)
def test_renaming_a_file(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    since = head()

    response = api(editor).patch(f"/api/v1/files/{file.pk}/", {"name": "q3.txt"})

    assert response.status_code == 200
    recorded_once(
        Action.FILE_RENAMED,
        since=since,
        actor=editor,
        target=about(file),
        changes={"name": ["figures.txt", "q3.txt"]},
    )


@performs(Action.FILE_TRASHED)
def test_moving_a_file_to_the_trash(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    since = head()

    response = api(editor).delete(f"/api/v1/files/{file.pk}/")

    assert response.status_code == 204
    recorded_once(Action.FILE_TRASHED, since=since, actor=editor, target=about(file))


@performs(Action.FILE_RESTORED)
def test_restoring_a_file_from_the_trash(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    api(editor).delete(f"/api/v1/files/{file.pk}/")
    since = head()

    response = api(editor).post(f"/api/v1/files/{file.pk}/restore/")

    assert response.status_code == 200
    recorded_once(Action.FILE_RESTORED, since=since, actor=editor, target=about(file))


@performs(Action.FILE_PURGED)
def test_deleting_a_file_for_good(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    target = about(file)
    since = head()

    response = api(editor).delete(f"/api/v1/files/{file.pk}/?purge=true")

    assert response.status_code == 204
    assert not Version.objects.exists()
    recorded_once(Action.FILE_PURGED, since=since, actor=editor, target=target)


@performs(Action.FILE_DOWNLOADED)
def test_downloading_a_file(api, editor, viewer):
    catalog = CatalogFactory(owner=editor)
    GrantFactory(catalog=catalog, user=viewer)
    file = stored_file(catalog, editor)
    since = head()

    response = api(viewer).get(f"/api/v1/files/{file.pk}/download/")

    assert b"".join(response.streaming_content) == CONTENT
    recorded_once(
        Action.FILE_DOWNLOADED,
        since=since,
        actor=viewer,
        target=about(file.current_version),
        hidden=[CONTENT.decode()],
    )


@performs(Action.VERSION_CREATED)
def test_uploading_a_new_version(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    since = head()

    response = api(editor).post(
        f"/api/v1/files/{file.pk}/versions/", upload_body(b"revised figures\n")
    )

    assert response.status_code == 201
    recorded_once(
        Action.VERSION_CREATED,
        since=since,
        actor=editor,
        target=about(Version.objects.get(number=2)),
        hidden=["revised figures"],
    )


@performs(Action.VERSION_RESTORED)
def test_restoring_an_earlier_version(api, editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    api(editor).post(f"/api/v1/files/{file.pk}/versions/", upload_body(b"revised\n"))
    since = head()

    response = api(editor).post(f"/api/v1/files/{file.pk}/versions/1/restore/")

    assert response.status_code == 201
    entry = recorded_once(
        Action.VERSION_RESTORED,
        since=since,
        actor=editor,
        target=about(Version.objects.get(number=3)),
        hidden=[CONTENT.decode()],
    )
    assert entry.details["restored_from"] == 1


@performs(Action.VERSION_TEXT_EXTRACTED)
def test_extracting_the_text_of_documents_again(editor):
    file = stored_file(CatalogFactory(owner=editor), editor)
    since = head()

    call_command("reindex", verbosity=0, stdout=StringIO())

    entry = recorded_once(
        Action.VERSION_TEXT_EXTRACTED,
        since=since,
        actor=None,
        target=about(file.current_version),
        hidden=["quarterly"],
    )
    assert entry.details == {"status": "done", "passages": 1}


@performs(Action.UPLOAD_STARTED)
def test_starting_a_direct_upload(api, s3_storage, editor):
    catalog = CatalogFactory(owner=editor)
    since = head()

    response = api(editor).post(
        f"/api/v1/catalogs/{catalog.pk}/uploads/",
        {"filename": "figures.pdf", "size": 2048},
        format="json",
    )

    assert response.status_code == 201
    entry = recorded_once(
        Action.UPLOAD_STARTED,
        since=since,
        actor=editor,
        target=about(Upload.objects.get()),
    )
    assert entry.details == {"catalog": catalog.pk, "file": None, "size": 2048}


# Conversations


@performs(Action.CONVERSATION_CREATED)
def test_starting_a_conversation(api, viewer):
    since = head()

    response = api(viewer).post("/api/v1/conversations/", {"title": QUESTION})

    assert response.status_code == 201
    recorded_once(
        Action.CONVERSATION_CREATED,
        since=since,
        actor=viewer,
        target=about(Conversation.objects.get()),
        hidden=[QUESTION],
    )


@performs(Action.CONVERSATION_RENAMED)
def test_renaming_a_conversation(api, viewer):
    conversation = ConversationFactory(owner=viewer, title="Figures")
    since = head()

    response = api(viewer).patch(
        f"/api/v1/conversations/{conversation.pk}/", {"title": QUESTION}
    )

    assert response.status_code == 200
    recorded_once(
        Action.CONVERSATION_RENAMED,
        since=since,
        actor=viewer,
        target=about(conversation),
        hidden=[QUESTION],
    )


@performs(Action.CONVERSATION_DELETED)
def test_deleting_a_conversation(api, viewer):
    conversation = ConversationFactory(owner=viewer)
    target = about(conversation)
    since = head()

    response = api(viewer).delete(f"/api/v1/conversations/{conversation.pk}/")

    assert response.status_code == 204
    recorded_once(Action.CONVERSATION_DELETED, since=since, actor=viewer, target=target)


@performs(Action.MESSAGE_SENT)
def test_asking_a_question(api, viewer):
    conversation = ConversationFactory(owner=viewer)
    since = head()

    response = api(viewer).post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"content": QUESTION}
    )

    assert response.status_code == 201
    entry = recorded_once(
        Action.MESSAGE_SENT,
        since=since,
        actor=viewer,
        target=about(conversation),
        hidden=[QUESTION],
    )
    assert entry.details["length"] == len(QUESTION)


def test_every_action_code_is_performed_by_a_test_here():
    untested = sorted(set(Action.values) - set(PERFORMED))

    assert untested == [], "Add a test here that performs each of these."
