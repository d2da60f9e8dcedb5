from rest_framework import serializers

from audit.actions import Action
from audit.models import ActivityLog


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
        fields = [
            "sequence",
            "created_at",
            "actor",
            "actor_email",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "details",
            "ip_address",
            "user_agent",
            "request_id",
            "previous_hash",
            "hash",
        ]
        read_only_fields = fields

    def get_action_label(self, entry) -> str:
        return Action(entry.action).label if entry.action in Action.values else ""
