from django.db import models


class Action(models.TextChoices):
    """Every action the activity log records, one code each."""

    AUTH_LOGIN = "auth.login", "Logged in"
    AUTH_LOGIN_FAILED = "auth.login_failed", "Failed to log in"
    AUTH_LOGOUT = "auth.logout", "Logged out"
    CONVERSATION_CREATED = "conversation.created", "Created a conversation"
    CONVERSATION_RENAMED = "conversation.renamed", "Renamed a conversation"
    CONVERSATION_DELETED = "conversation.deleted", "Deleted a conversation"
    CONVERSATION_QUESTION_ASKED = "conversation.question_asked", "Asked a question"
    VERSION_TEXT_EXTRACTED = "version.text_extracted", "Extracted the text of a version"
