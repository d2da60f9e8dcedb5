import logging

from django.dispatch import receiver

from catalogs.signals import version_created
from chat.services import version_extract_later

logger = logging.getLogger(__name__)


@receiver(version_created, dispatch_uid="chat.extract_new_version")
def extract_new_version(sender, version, **kwargs):
    # Runs after the upload committed: a failure here must not reach it.
    try:
        version_extract_later(version=version)
    except Exception:
        logger.exception(
            "Text extraction of version %s was not started; it stays pending "
            "until `manage.py reindex --pending`",
            version.pk,
        )
