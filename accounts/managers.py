from django.contrib.auth.base_user import BaseUserManager


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """E-mail is the identity: trimmed and lower-cased, all of it."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email, password=None, **fields):
        """Create a user of an existing allowed domain."""
        from accounts.models import Domain

        email = self.normalize_email(email)
        if "domain" not in fields:
            fields["domain"] = Domain.objects.get(name=email.rpartition("@")[2])
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        """Create an admin, allowing the domain of the address if needed."""
        from accounts.models import Domain, Role

        email = self.normalize_email(email)
        fields.setdefault(
            "domain", Domain.objects.get_or_create(name=email.rpartition("@")[2])[0]
        )
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def _create(self, email, password, **fields):
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user
