from django.db.models import Count, QuerySet

from accounts.models import Domain, User
from accounts.permissions import is_admin


def email_domain(email: str) -> str:
    """The domain part of an address, as `Domain.name` stores it."""
    return User.objects.normalize_email(email).rpartition("@")[2]


def domain_for_email(email: str) -> Domain | None:
    """The active allowed domain of an address, or None if there is none."""
    return Domain.objects.filter(name=email_domain(email), is_active=True).first()


def user_for_email(email: str) -> User | None:
    """The user whose address this is, whatever its case, or None."""
    return User.objects.filter(email=User.objects.normalize_email(email)).first()


def email_taken(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(email=User.objects.normalize_email(email))
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def user_list(*, viewer: User) -> QuerySet[User]:
    """Every user for an admin; only themselves for anyone else."""
    users = User.objects.select_related("domain")
    return users if is_admin(viewer) else users.filter(pk=viewer.pk)


def domain_list(*, viewer: User) -> QuerySet[Domain]:
    """Every domain, with its `user_count`, for an admin; none for anyone else."""
    if not is_admin(viewer):
        return Domain.objects.none()
    return Domain.objects.annotate(user_count=Count("users"))
