from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import checks, receivers  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on `accounts.sites.AdminSite`; named in `INSTALLED_APPS`."""

    # Not a configuration of the accounts app itself.
    default = False
    default_site = "accounts.sites.AdminSite"
