import factory

from catalogs.models import Access, Catalog, CatalogPermission, File
from tests.accounts.factories import EditorFactory, UserFactory


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    name = factory.Sequence(lambda n: f"Catalog {n}")
    owner = factory.SubFactory(EditorFactory)


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogPermission

    catalog = factory.SubFactory(CatalogFactory)
    user = factory.SubFactory(UserFactory)
    access = Access.READ


class FileFactory(factory.django.DjangoModelFactory):
    """A file row with no version yet; upload versions through the services."""

    class Meta:
        model = File

    catalog = factory.SubFactory(CatalogFactory)
    name = factory.Sequence(lambda n: f"document-{n}.txt")
    created_by = factory.SelfAttribute("catalog.owner")
