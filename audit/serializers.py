from rest_framework import serializers

from audit.actions import Action
from audit.models import ENTRY_FIELDS, ActivityLog


class ActivitySerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(
        source="actor_id",
        allow_null=True,
        help_text="Id of the user who acted, kept after the user is deleted; "
        "null for the system and anonymous visitors.",
    )
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = ActivityLog
        fields = [*ENTRY_FIELDS, "action_label"]
        read_only_fields = fields

    def get_action_label(self, entry) -> str:
        return Action(entry.action).label if entry.action in Action.values else ""
