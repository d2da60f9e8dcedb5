"""
Work that runs in a separate Lambda invocation through Zappa's tasks.

Outside Lambda (no ``AWS_LAMBDA_FUNCTION_NAME``) Zappa runs a task inline;
``chat.services.version_extract_later`` decides whether to come here at all.
"""

import logging

from zappa.asynchronous import task

from catalogs.models import Version
from chat.services import version_extract

logger = logging.getLogger(__name__)


@task
def version_extract_task(version_id: int) -> None:
    version = Version.objects.filter(pk=version_id).first()
    if version is None:
        logger.warning("Version %s is gone before its text was extracted", version_id)
        return

    version_extract(version=version)
