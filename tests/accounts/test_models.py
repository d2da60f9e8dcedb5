import pytest
from django.db import IntegrityError, transaction

from accounts.models import Domain, Role, User
from tests.accounts.factories import AdminFactory, DomainFactory, UserFactory


@pytest.mark.django_db
def test_email_is_trimmed_and_lower_cased():
    user = UserFactory(email="  Ana@Example.ORG ")

    user.refresh_from_db()
    assert user.email == "ana@example.org"
    assert User.objects.get_by_natural_key("ANA@example.org ") == user


@pytest.mark.django_db
def test_an_address_in_another_case_is_the_same_account():
    UserFactory(email="ana@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Ana@Example.ORG")


@pytest.mark.django_db
def test_database_refuses_an_upper_case_address_written_around_the_model():
    user = UserFactory(email="ana@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Ana@example.org")


@pytest.mark.django_db
def test_domain_name_is_stored_lower_case():
    domain = Domain.objects.create(name=" Example.NET. ")

    assert domain.name == "example.net"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "admin_site"),
    [(Role.ADMIN, True), (Role.EDITOR, False), (Role.VIEWER, False)],
)
def test_admin_site_access_follows_the_role(role, admin_site):
    user = UserFactory(role=role, is_staff=not admin_site, is_superuser=not admin_site)

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (admin_site, admin_site)


@pytest.mark.django_db
def test_demoting_an_admin_takes_the_admin_site_away():
    user = AdminFactory()

    user.role = Role.EDITOR
    user.save()

    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser


@pytest.mark.django_db
def test_createsuperuser_allows_the_domain_and_makes_an_admin():
    user = User.objects.create_superuser("Root@Example.COM", "x-long-password-1")

    assert user.email == "root@example.com"
    assert user.domain.name == "example.com"
    assert user.role == Role.ADMIN
    assert user.is_staff and user.is_superuser


@pytest.mark.django_db
def test_a_user_authenticates_only_while_it_and_its_domain_are_active():
    user = UserFactory(domain=DomainFactory(name="example.org"))
    assert user.can_authenticate

    user.domain.is_active = False
    assert not user.can_authenticate

    user.domain.is_active = True
    user.is_active = False
    assert not user.can_authenticate
