from django.conf import settings
from django.core.files import File as DjangoFile
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Domain, Role, User
from catalogs.models import Access, Catalog
from catalogs.services import catalog_create, catalog_grant, file_upload

DEMO_DOMAIN = "example.com"
DEMO_PASSWORD = "fichero-demo-2026"  # noqa: S105 - printed for local try-outs
DEMO_USERS = [
    ("admin@example.com", Role.ADMIN, "Ada", "Admin"),
    ("editor@example.com", Role.EDITOR, "Eddie", "Editor"),
    ("viewer@example.com", Role.VIEWER, "Vera", "Viewer"),
]
DEMO_CATALOG = "Fichero handbook"
DEMO_CATALOG_OWNER = "admin@example.com"
DEMO_GRANTS = [
    ("editor@example.com", Access.WRITE),
    ("viewer@example.com", Access.READ),
]
# Documents the project itself ships, found beside manage.py.
DEMO_DOCUMENTS = ["README.md", "DEPLOY.md", ".env.example"]


class Command(BaseCommand):
    help = (
        "Load demo users and a demo catalog for a local try-out. Running it "
        "again changes nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            domain, _ = Domain.objects.get_or_create(name=DEMO_DOMAIN)
            for email, role, first_name, last_name in DEMO_USERS:
                self.ensure_user(domain, email, role, first_name, last_name)
        catalog = self.ensure_catalog()

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for email, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {role:<7} {email}  password: {DEMO_PASSWORD}")
        self.stdout.write(
            f"The catalog {catalog.name!r} holds {catalog.files.count()} documents."
        )

    def ensure_user(self, domain, email, role, first_name, last_name):
        if User.objects.filter(email=email).exists():
            return
        User.objects.create_user(
            email,
            DEMO_PASSWORD,
            domain=domain,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )

    def ensure_catalog(self):
        owner = User.objects.get(email=DEMO_CATALOG_OWNER)
        catalog = Catalog.objects.filter(owner=owner, name=DEMO_CATALOG).first()
        if catalog is None:
            catalog = catalog_create(
                owner=owner,
                name=DEMO_CATALOG,
                description="How to run and deploy Fichero.",
            )

        for email, access in DEMO_GRANTS:
            user = User.objects.get(email=email)
            if not catalog.permissions.filter(user=user).exists():
                catalog_grant(catalog=catalog, actor=owner, user=user, access=access)

        for name in DEMO_DOCUMENTS:
            self.ensure_document(catalog, owner, name)
        return catalog

    def ensure_document(self, catalog, owner, name):
        path = settings.BASE_DIR / name
        if catalog.files.filter(name=name).exists():
            return
        if not path.is_file():
            self.stderr.write(f"Skipped {name}: not found beside manage.py.")
            return
        with path.open("rb") as handle:
            file_upload(
                catalog=catalog,
                uploader=owner,
                content=DjangoFile(handle, name=name),
                comment="Demo document.",
            )
