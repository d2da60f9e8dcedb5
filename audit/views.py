from rest_framework import mixins, viewsets
from rest_framework.settings import api_settings

from audit.exports import CsvRenderer, activity_csv_response
from audit.filters import ActivityFilter
from audit.permissions import CanReadActivityLog
from audit.selectors import activity_list
from audit.serializers import ActivitySerializer
from audit.services import activity_export


class ActivityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """
    The activity log, newest first; for administrators only.

    Filter by actor, action, target and time, search e-mail, target label
    and request id. With `?format=csv` (or `Accept: text/csv`) every matching
    entry is downloaded as CSV, in the same order, and the download itself
    is recorded. On AWS Lambda a response cannot exceed 6 MB, so a larger
    export fails there: narrow the dates until exports are written to S3.
    """

    serializer_class = ActivitySerializer
    permission_classes = [CanReadActivityLog]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CsvRenderer]
    filterset_class = ActivityFilter
    search_fields = ["actor_email", "target_label", "request_id"]
    ordering_fields = ["created_at", "sequence"]
    ordering = ["-created_at", "-sequence"]

    def get_queryset(self):
        return activity_list()

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != CsvRenderer.format:
            return super().list(request, *args, **kwargs)

        entries, export = activity_export(
            entries=self.filter_queryset(self.get_queryset()),
            actor=request.user,
            query=request.query_params.urlencode(),
        )
        filename = f"activity-{export.created_at:%Y%m%d-%H%M%S}.csv"
        return activity_csv_response(entries, filename=filename)
