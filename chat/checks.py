from django.conf import settings
from django.core.checks import Error, register

from chat.assistants import ASSISTANTS


@register()
def chat_backend_check(app_configs, **kwargs):
    """Refuse to start with an unknown assistant or a Bedrock without a model."""
    if settings.CHAT_BACKEND not in ASSISTANTS:
        return [
            Error(
                f"CHAT_BACKEND is {settings.CHAT_BACKEND!r}; choose one of "
                f"{', '.join(ASSISTANTS)}.",
                id="chat.E001",
            )
        ]
    if settings.CHAT_BACKEND == "bedrock" and not settings.BEDROCK_MODEL_ID:
        return [
            Error(
                "CHAT_BACKEND is bedrock but BEDROCK_MODEL_ID is empty.", id="chat.E002"
            )
        ]
    return []
