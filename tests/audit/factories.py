import factory

from audit.actions import Action
from audit.models import ActivityLog
from audit.services import activity_record


class ActivityFactory(factory.Factory):
    """Entries recorded the one way there is: through `activity_record`."""

    class Meta:
        model = ActivityLog

    action = Action.USER_UPDATED
    actor = None
    target = None
    changes = factory.Dict({})
    details = factory.Dict({})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return activity_record(**kwargs)
