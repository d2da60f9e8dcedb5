import factory

from accounts.models import Domain, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ["name"]

    name = "example.org"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    domain = factory.SubFactory(
        DomainFactory,
        name=factory.LazyAttribute(
            lambda domain: domain.factory_parent.email.rpartition("@")[2]
        ),
    )
    role = Role.VIEWER
    password = factory.django.Password(TEST_PASSWORD)


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class EditorFactory(UserFactory):
    role = Role.EDITOR
