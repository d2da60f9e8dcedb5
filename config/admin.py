from django.contrib import messages
from django.http import HttpResponseRedirect

from config.exceptions import ApplicationError


class ServiceErrorsAdminMixin:
    """
    Show a service's refusal in the admin as a message, not as an error page.

    The admin saves through the same services as the API; a rule they enforce
    (storage down, a name taken) rolls the whole form back and comes back to
    the same page with the reason.
    """

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self.refused(request, error)

    def changelist_view(self, request, *args, **kwargs):
        try:
            return super().changelist_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self.refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except ApplicationError as error:
            return self.refused(request, error)

    def refused(self, request, error):
        self.message_user(request, error.detail, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())
