from django.contrib import admin

from chat.models import Conversation, Message


class ReadOnlyMixin:
    """Chat is written through the API only: staff may look, not touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnlyMixin, admin.TabularInline):
    model = Message
    fields = ["created_at", "role", "status", "content", "citations"]
    readonly_fields = fields
    extra = 0


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "title", "owner", "catalog", "updated_at"]
    list_filter = ["updated_at"]
    list_select_related = ["owner", "catalog"]
    search_fields = ["owner__email", "title"]
    inlines = [MessageInline]
