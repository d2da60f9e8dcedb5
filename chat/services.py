import logging

from django.conf import settings
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchVector
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import Truncator
from rest_framework import status

from audit.actions import Action
from audit.services import Target, activity_record
from catalogs import storage
from catalogs.models import Catalog, ExtractionStatus, Version
from chat.assistants import AssistantError, get_assistant
from chat.extraction import ExtractionError, NothingToExtract, extract_pages
from chat.models import Conversation, Message, Passage
from chat.passages import split_windows
from chat.permissions import can_ask_in
from chat.selectors import message_recent, passages_search
from config.exceptions import ApplicationError
from config.locking import DeletedMeanwhile, kept, locked, locked_for_delete

logger = logging.getLogger(__name__)

TITLE_LENGTH = 80
UNEXPECTED_EXTRACTION_ERROR = "The file could not be read; try to reindex it later."


class CatalogUnreadable(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "catalog_unreadable"


def version_extract(*, version: Version) -> Version:
    """
    Extract the text of ``version`` and replace its passages.

    Never raises for a file it cannot read: the version keeps its upload and
    gets the status ``failed`` (or ``skipped`` when it has no text) with a
    reason a person understands.
    """
    try:
        with default_storage.open(version.storage_key, "rb") as stream:
            pages = extract_pages(
                stream,
                content_type=version.content_type,
                filename=version.original_name,
                max_chars=settings.EXTRACTION_MAX_CHARS,
                max_seconds=settings.EXTRACTION_MAX_SECONDS,
            )
    except NothingToExtract as error:
        return _extraction_finish(version, ExtractionStatus.SKIPPED, str(error))
    except ExtractionError as error:
        return _extraction_finish(version, ExtractionStatus.FAILED, str(error))
    except storage.STORAGE_ERRORS as error:
        logger.warning(
            "Text extraction of version %s could not read the stored file: %s",
            version.pk,
            storage.error_text(error),
        )
        return _extraction_finish(
            version, ExtractionStatus.FAILED, UNEXPECTED_EXTRACTION_ERROR
        )
    except Exception:
        logger.exception("Text extraction of version %s crashed", version.pk)
        return _extraction_finish(
            version, ExtractionStatus.FAILED, UNEXPECTED_EXTRACTION_ERROR
        )

    windows = split_windows(
        pages,
        words=settings.CHAT_PASSAGE_WORDS,
        overlap=settings.CHAT_PASSAGE_OVERLAP,
    )
    return _extraction_finish(version, ExtractionStatus.DONE, "", windows=windows)


def version_extract_later(*, version: Version) -> None:
    """
    Extract the text of ``version`` now, or in a separate Lambda invocation.

    With ``EXTRACTION_ASYNC`` the work goes to Zappa's task mechanism, so that
    the upload that created the version answers long before API Gateway's
    timeout; otherwise (locally, in tests) it runs inline.
    """
    if not settings.EXTRACTION_ASYNC:
        version_extract(version=version)
        return

    # Imported here: it creates AWS clients that only this path needs.
    from chat.tasks import version_extract_task

    version_extract_task(version.pk)


def _extraction_finish(version, status, error, *, windows=()):
    """Replace the passages of ``version`` by ``windows``, and set its status."""
    try:
        with transaction.atomic():
            # Extractions of one version take turns; a deletion waits for them.
            locked(version)
            Passage.objects.filter(version=version).delete()
            Passage.objects.bulk_create(
                Passage(
                    version=version,
                    position=window.position,
                    page=window.page,
                    text=window.text,
                )
                for window in windows
            )
            _search_vectors_fill(version)
            version.extraction_status = status
            version.extraction_error = error
            version.save(update_fields=["extraction_status", "extraction_error"])
            activity_record(
                action=Action.VERSION_TEXT_EXTRACTED,
                target=version,
                details={"status": status, "passages": len(windows)},
            )
    except DeletedMeanwhile:
        logger.info("Version %s was deleted before its text was stored", version.pk)
        return version

    logger.info(
        "Text extraction of version %s: %s, %s passages",
        version.pk,
        status,
        len(windows),
    )
    return version


def _search_vectors_fill(version):
    """Compute the PostgreSQL search vectors; SQLite's triggers need nothing."""
    if connection.vendor != "postgresql":
        return

    text = Unaccent(F("text"))
    Passage.objects.filter(version=version).update(
        search_vector=SearchVector(text, config="english")
        + SearchVector(text, config="spanish")
    )


def conversation_create(
    *, user, catalog: Catalog | None = None, title: str = ""
) -> Conversation:
    """Start a conversation, about ``catalog`` when given (the caller checks it)."""
    with transaction.atomic():
        if catalog is not None:
            kept(catalog)
        conversation = Conversation.objects.create(
            owner=user, catalog=catalog, title=title
        )
        activity_record(
            action=Action.CONVERSATION_CREATED,
            actor=user,
            target=conversation,
            details={"catalog": catalog.pk if catalog else None},
        )

    logger.info(
        "Conversation %s started by user %s on %s",
        conversation.pk,
        user.pk,
        f"catalog {catalog.pk}" if catalog else "every readable catalog",
    )
    return conversation


def conversation_rename(
    *, user, conversation: Conversation, title: str
) -> Conversation:
    with transaction.atomic():
        conversation = locked(conversation)
        if title == conversation.title:
            return conversation

        conversation.title = title
        conversation.save(update_fields=["title", "updated_at"])
        # The title often repeats a question, so only the fact is recorded.
        activity_record(
            action=Action.CONVERSATION_RENAMED, actor=user, target=conversation
        )

    logger.info("Conversation %s renamed by user %s", conversation.pk, user.pk)
    return conversation


def conversation_delete(*, user, conversation: Conversation) -> None:
    with transaction.atomic():
        conversation = locked_for_delete(conversation)
        message_count = conversation.messages.count()
        target = Target.of(conversation)
        conversation.delete()
        activity_record(
            action=Action.CONVERSATION_DELETED,
            actor=user,
            target=target,
            details={"messages": message_count},
        )

    logger.info(
        "Conversation %s deleted by user %s with %s message(s)",
        target.id,
        user.pk,
        message_count,
    )


def message_ask(
    *, user, conversation: Conversation, content: str
) -> tuple[Message, Message]:
    """
    Store a question, answer it from the documents, and store the answer.

    The question is committed before the assistant is asked, so it is kept
    even when the assistant fails; the answer is then stored as ``failed``
    and the assistant's error is raised. No transaction is held while the
    assistant answers: a conversation deleted meanwhile gets no answer, and
    raises ``DeletedMeanwhile``.
    """
    if not can_ask_in(user, conversation):
        raise CatalogUnreadable(
            "You can no longer read the catalog of this conversation."
        )

    history = message_recent(
        user=user, conversation=conversation, limit=settings.CHAT_HISTORY_TURNS
    )
    question = _question_store(user, conversation, content)
    passages = passages_search(
        user=user,
        query=content,
        catalog=conversation.catalog,
        limit=settings.CHAT_CITATIONS,
    )
    citations = [_citation(passage) for passage in passages]

    try:
        text = get_assistant().answer(
            question=content, passages=passages, history=history
        )
    except AssistantError as error:
        _answer_store(
            conversation, status=Message.Status.FAILED, content=str(error.detail)
        )
        logger.warning(
            "Question %s of user %s in conversation %s not answered: %s",
            question.pk,
            user.pk,
            conversation.pk,
            error.code,
        )
        raise

    answer = _answer_store(conversation, content=text, citations=citations)
    logger.info(
        "Question %s of user %s in conversation %s answered with %s citation(s)",
        question.pk,
        user.pk,
        conversation.pk,
        len(citations),
    )
    return question, answer


def _question_store(user, conversation, content):
    with transaction.atomic():
        conversation = locked(conversation)
        question = Message.objects.create(
            conversation=conversation, role=Message.Role.USER, content=content
        )
        if not conversation.title:
            conversation.title = Truncator(content).chars(TITLE_LENGTH)
        conversation.save(update_fields=["title", "updated_at"])
        activity_record(
            action=Action.MESSAGE_SENT,
            actor=user,
            target=conversation,
            details={"message": question.pk, "length": len(content)},
        )
    return question


def _answer_store(conversation, **fields):
    """The assistant's turn, unless the conversation went while it answered."""
    with transaction.atomic():
        kept(conversation)
        return Message.objects.create(
            conversation=conversation, role=Message.Role.ASSISTANT, **fields
        )


def _citation(passage: Passage) -> dict:
    version = passage.version
    return {
        "file": version.file_id,
        "file_name": version.file.name,
        "version": version.number,
        "page": passage.page,
        "passage": passage.text,
        "score": float(passage.score),
    }
