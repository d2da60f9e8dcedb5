"""
Fichero's Django admin site: Django's own, with its password change page
saving through `accounts.services`, so that it is recorded and revokes the
user's API tokens as every other password change does.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.urls import reverse

from accounts import services


class OwnPasswordForm(AdminPasswordChangeForm):
    """Django's form for changing one's own password, giving the old one."""

    def save(self, commit=True):
        services.user_set_password(
            user=self.user,
            actor=self.user,
            password=self.cleaned_data["new_password1"],
        )
        return self.user


class AdminSite(admin.AdminSite):
    def password_change(self, request, extra_context=None):
        request.current_app = self.name
        view = PasswordChangeView.as_view(
            form_class=OwnPasswordForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )
        return view(request)
