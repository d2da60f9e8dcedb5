"""
Assistants: what turns a question and its passages into an answer.

``CHAT_BACKEND`` picks one. ``extractive`` quotes the passages themselves and
needs nothing outside the machine; ``bedrock`` asks a model on Amazon Bedrock
through the Converse API to answer from the same passages. Both say plainly
when no passage matches, without asking any model.
"""

import functools
import itertools
import logging

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    ReadTimeoutError,
)
from django.conf import settings
from rest_framework import status

from chat.models import Message
from config.exceptions import ApplicationError

logger = logging.getLogger(__name__)

NOTHING_FOUND = "Nothing in the documents matches this question."
TOO_SLOW = (
    "The assistant took too long to answer. Your question is saved; please ask again."
)
UNAVAILABLE = (
    "The assistant could not answer. Your question is saved; please ask again later."
)

SYSTEM_PROMPT = (
    "You answer questions about a team's documents. The last message holds "
    "numbered passages from those documents and then the question. Answer "
    "only from these passages, never from other knowledge. Cite the passages "
    "you use by their number in square brackets, like [2]. If the passages "
    "do not answer the question, say that the documents do not say. Answer "
    "in the language of the question, briefly."
)


class AssistantError(ApplicationError):
    """The assistant could not answer; the question is kept all the same."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "assistant_unavailable"


class AssistantTimeout(AssistantError):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "assistant_timeout"


def get_assistant():
    """The assistant named by ``CHAT_BACKEND``."""
    return ASSISTANTS[settings.CHAT_BACKEND]()


def source(passage) -> str:
    """Where a passage comes from, as a reader would cite it."""
    version = passage.version
    where = f"{version.file.name}, version {version.number}"
    return f"{where}, page {passage.page}" if passage.page else where


class ExtractiveAssistant:
    """Answers with the best passages, quoted, each with its source."""

    def answer(self, *, question, passages, history) -> str:
        if not passages:
            return NOTHING_FOUND

        quotes = [
            f"[{number}] “{passage.text}” ({source(passage)})"
            for number, passage in enumerate(passages, start=1)
        ]
        return "\n\n".join(["The documents say:", *quotes])


class BedrockAssistant:
    """Asks a Bedrock model to answer from the passages, with recent turns."""

    def answer(self, *, question, passages, history) -> str:
        if not passages:
            return NOTHING_FOUND

        messages = [
            *self.history_messages(history),
            self.question_message(question, passages),
        ]
        try:
            response = bedrock_client().converse(
                modelId=settings.BEDROCK_MODEL_ID,
                system=[{"text": SYSTEM_PROMPT}],
                messages=messages,
                inferenceConfig={"maxTokens": settings.BEDROCK_MAX_TOKENS},
            )
        except (ReadTimeoutError, ConnectTimeoutError) as error:
            raise AssistantTimeout(TOO_SLOW) from error
        except ClientError as error:
            raise self.client_error(error) from error
        except BotoCoreError as error:
            logger.warning("Bedrock cannot be reached: %s", type(error).__name__)
            raise AssistantError(UNAVAILABLE) from error

        return self.answer_text(response)

    def history_messages(self, history):
        # The Converse API wants turns that alternate, starting with the user.
        exchange = (Message.Role.USER, Message.Role.ASSISTANT)
        messages = []
        for earlier, later in itertools.pairwise(history):
            if (earlier.role, later.role) == exchange:
                messages.append(self.message("user", earlier.content))
                messages.append(self.message("assistant", later.content))
        return messages

    def question_message(self, question, passages):
        numbered = [
            f"[{number}] {source(passage)}\n{passage.text}"
            for number, passage in enumerate(passages, start=1)
        ]
        text = "\n\n".join(["Passages:", *numbered, f"Question: {question}"])
        return self.message("user", text)

    def message(self, role, text):
        return {"role": role, "content": [{"text": text}]}

    def client_error(self, error):
        code = error.response.get("Error", {}).get("Code", "")
        logger.warning("Bedrock refused a request: %s", code)
        if code == "ModelTimeoutException":
            return AssistantTimeout(TOO_SLOW)
        return AssistantError(UNAVAILABLE)

    def answer_text(self, response):
        blocks = response["output"]["message"]["content"]
        text = "".join(block.get("text", "") for block in blocks).strip()
        if not text:
            raise AssistantError(
                "The assistant gave an empty answer. Your question is saved; "
                "please ask again."
            )
        return text


@functools.cache
def bedrock_client():
    """One Bedrock client per process, made on first use, not at start-up."""
    # Imported here: the system checks import this module at every start.
    import boto3
    from botocore.config import Config

    return boto3.client(
        "bedrock-runtime",
        region_name=settings.BEDROCK_REGION,
        config=Config(
            connect_timeout=5,
            read_timeout=settings.BEDROCK_TIMEOUT_SECONDS,
            retries={"mode": "standard", "max_attempts": 1},
        ),
    )


ASSISTANTS = {
    "extractive": ExtractiveAssistant,
    "bedrock": BedrockAssistant,
}
