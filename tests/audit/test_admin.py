import pytest

from audit.actions import Action
from audit.models import ActivityLog
from tests.accounts.factories import DomainFactory, UserFactory
from tests.audit.factories import ActivityFactory

pytestmark = pytest.mark.django_db

LOG_ADMIN = "/admin/audit/activitylog/"


def form_data(form):
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def posted(response, **changes):
    """What the admin page in `response` posts back, with `changes` made."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_data(form))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def entries():
    """The entries recorded, apart from the logins of the test's browser."""
    return list(ActivityLog.objects.exclude(action=Action.AUTH_LOGIN))


# The activity log's own admin


def test_admins_browse_the_log_with_filters_and_search(admin_client):
    bob = UserFactory(email="bob@example.org")
    added = ActivityFactory(action=Action.DOMAIN_CREATED, actor=bob)
    changed = ActivityFactory(action=Action.DOMAIN_UPDATED, actor=bob)
    deleted = ActivityFactory(action=Action.ADMIN_DELETED)

    def shown(**params):
        response = admin_client.get(LOG_ADMIN, params)
        assert response.status_code == 200
        return [entry.sequence for entry in response.context["cl"].result_list]

    assert shown()[:3] == [deleted.sequence, changed.sequence, added.sequence]
    assert shown(action="domain.created") == [added.sequence]
    assert shown(actor__id__exact=bob.pk) == [changed.sequence, added.sequence]
    from_changed_to_deleted = {
        "created_at__gte": changed.created_at.isoformat(),
        "created_at__lt": deleted.created_at.isoformat(),
    }
    assert shown(**from_changed_to_deleted) == [changed.sequence]
    assert shown(q="bob@") == [changed.sequence, added.sequence]


def test_an_entry_is_shown_read_only(admin_client):
    entry = ActivityFactory(changes={"name": ["a", "b"]})

    response = admin_client.get(f"{LOG_ADMIN}{entry.pk}/change/")

    assert response.status_code == 200
    assert entry.hash in response.content.decode()
    assert b'name="_save"' not in response.content


def test_an_entry_whose_actor_was_deleted_is_still_shown(admin_client):
    user = UserFactory(email="leaver@example.org")
    entry = ActivityFactory(actor=user)
    user.delete()

    response = admin_client.get(f"{LOG_ADMIN}{entry.pk}/change/")

    assert response.status_code == 200
    assert "leaver@example.org" in response.content.decode()


def test_nobody_adds_changes_or_deletes_entries_in_the_admin(admin_client):
    entry = ActivityFactory(details={"note": "kept"})

    add = admin_client.get(f"{LOG_ADMIN}add/")
    change = admin_client.post(f"{LOG_ADMIN}{entry.pk}/change/", {"details": "{}"})
    delete = admin_client.post(f"{LOG_ADMIN}{entry.pk}/delete/", {"post": "yes"})
    bulk = admin_client.post(
        LOG_ADMIN, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403,) * 3
    assert bulk.status_code == 200
    assert ActivityLog.objects.get(pk=entry.pk).details == {"note": "kept"}


def test_users_without_the_admin_role_are_sent_to_log_in(client):
    client.force_login(UserFactory())

    response = client.get(LOG_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# What the admin records about the request


def test_the_client_address_agent_and_request_id_are_recorded(admin_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    domain = DomainFactory(name="example.net")
    url = f"/admin/accounts/domain/{domain.pk}/change/"

    admin_client.post(
        url,
        posted(admin_client.get(url), default_role="editor"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
        HTTP_X_REQUEST_ID="req-77",
    )

    [entry] = entries()
    assert entry.action == Action.DOMAIN_UPDATED
    assert entry.ip_address == "203.0.113.9"
    assert entry.user_agent == "Firefox/140"
    assert entry.request_id == "req-77"


def test_a_forwarded_address_is_ignored_without_trusted_proxies(admin_client):
    domain = DomainFactory(name="example.net")
    url = f"/admin/accounts/domain/{domain.pk}/change/"

    admin_client.post(
        url,
        posted(admin_client.get(url), default_role="editor"),
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )

    [entry] = entries()
    assert entry.ip_address == "198.51.100.7"
