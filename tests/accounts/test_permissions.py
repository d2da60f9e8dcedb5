import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import (
    IsAdminRole,
    can_create_catalogs,
    has_role,
    is_admin,
)
from tests.accounts.factories import AdminFactory, EditorFactory, UserFactory

ROLES = {Role.ADMIN: AdminFactory, Role.EDITOR: EditorFactory, Role.VIEWER: UserFactory}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "admin", "creates_catalogs"),
    [
        (Role.ADMIN, True, True),
        (Role.EDITOR, False, True),
        (Role.VIEWER, False, False),
    ],
)
def test_role_helpers(role, admin, creates_catalogs):
    user = ROLES[role]()

    assert is_admin(user) is admin
    assert can_create_catalogs(user) is creates_catalogs
    assert has_role(user, role)


def test_anonymous_has_no_role():
    anonymous = AnonymousUser()

    assert not has_role(anonymous, Role.ADMIN, Role.EDITOR, Role.VIEWER)
    assert not can_create_catalogs(anonymous)
    assert not has_role(None, Role.ADMIN)


def answer(user):
    class View(APIView):
        permission_classes = [IsAdminRole]

        def post(self, request):
            return Response({"ok": True})

    request = APIRequestFactory().post("/")
    force_authenticate(request, user=user)
    return View.as_view()(request).status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.EDITOR, 403), (Role.VIEWER, 403)],
)
def test_views_for_the_admin_role_refuse_other_roles(role, status):
    assert answer(ROLES[role]()) == status


@pytest.mark.django_db
def test_views_for_the_admin_role_ask_anonymous_to_log_in():
    assert answer(None) == 401
