from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Domain, Role, User

DEMO_DOMAIN = "example.com"
DEMO_PASSWORD = "fichero-demo-2026"  # noqa: S105 - printed for local try-outs
DEMO_USERS = [
    ("admin@example.com", Role.ADMIN, "Ada", "Admin"),
    ("editor@example.com", Role.EDITOR, "Eddie", "Editor"),
    ("viewer@example.com", Role.VIEWER, "Vera", "Viewer"),
]


class Command(BaseCommand):
    help = "Load demo users for a local try-out. Running it again changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            domain, _ = Domain.objects.get_or_create(name=DEMO_DOMAIN)
            for email, role, first_name, last_name in DEMO_USERS:
                self.ensure_user(domain, email, role, first_name, last_name)

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for email, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {role:<7} {email}  password: {DEMO_PASSWORD}")

    def ensure_user(self, domain, email, role, first_name, last_name):
        if User.objects.filter(email=email).exists():
            return
        is_admin = role == Role.ADMIN
        User.objects.create_user(
            email,
            DEMO_PASSWORD,
            domain=domain,
            role=role,
            first_name=first_name,
            last_name=last_name,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
