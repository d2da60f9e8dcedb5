from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.validators import DomainNameValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.managers import UserManager


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# Sign-up never makes an admin: admins are appointed one by one.
SIGNUP_ROLES = [(role.value, role.label) for role in (Role.EDITOR, Role.VIEWER)]


class Domain(models.Model):
    """An e-mail domain whose addresses may register and log in."""

    name = models.CharField(
        max_length=253,
        unique=True,
        validators=[DomainNameValidator(accept_idna=False)],
        help_text="The part of an e-mail address after the @, such as example.org.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Users of an inactive domain can neither sign up nor log in.",
    )
    default_role = models.CharField(
        max_length=16,
        choices=SIGNUP_ROLES,
        default=Role.VIEWER,
        help_text="The role of a user who signs up with an address of this domain.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address of an allowed domain."""

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="users")
    is_active = models.BooleanField(
        default=True,
        help_text="An inactive user cannot log in; their sessions and tokens stop "
        "working. Deactivate instead of deleting someone who owns data.",
    )
    is_staff = models.BooleanField(
        default=False,
        help_text="Follows the role: admins may use this site, others may not.",
    )
    is_superuser = models.BooleanField(
        default=False,
        help_text="Follows the role: admins hold every permission here.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            # Stored lower-case, so the unique index is case-insensitive too.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lower_case"
            )
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = self.__class__.objects.normalize_email(self.email)
        # The admin role is the one way into the Django admin, with every
        # permission; nobody else gets in, whatever the flags said.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def can_authenticate(self):
        """Whether this user may log in and be served: active, of an active domain."""
        return self.is_active and self.domain.is_active
