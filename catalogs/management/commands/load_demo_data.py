from django.conf import settings
from django.core.files import File as DjangoFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Domain, Role, User
from accounts.services import domain_create, user_create
from catalogs.models import Access, Catalog
from catalogs.services import catalog_create, catalog_grant, file_upload
from config.exceptions import ApplicationError

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
        try:
            with transaction.atomic():
                self.ensure_domain()
                created = [self.ensure_user(*user) for user in DEMO_USERS]
            catalog = self.ensure_catalog()
        except ApplicationError as error:
            raise CommandError(error.detail) from error

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for (email, role, *_), is_new in zip(DEMO_USERS, created, strict=True):
            if is_new:
                self.stdout.write(f"  {role:<7} {email}  password: {DEMO_PASSWORD}")
            else:
                self.stdout.write(
                    f"  {role:<7} {email}  already existed, password unchanged"
                )
        self.stdout.write(
            f"The catalog {catalog.name!r} holds {catalog.files.count()} documents."
        )

    def ensure_domain(self):
        if not Domain.objects.filter(name=DEMO_DOMAIN).exists():
            domain_create(actor=None, name=DEMO_DOMAIN)

    def ensure_user(self, email, role, first_name, last_name):
        """Create a demo user unless one exists; whether it was created."""
        if User.objects.filter(email=email).exists():
            return False
        user_create(
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )
        return True

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
