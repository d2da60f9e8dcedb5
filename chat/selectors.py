"""
Reads of the chat app: conversations, messages and passage retrieval.

``passages_search()`` is the one way to find passages. It ranks them with
PostgreSQL's full-text search (English and Spanish, accent-insensitive) or
SQLite's FTS5, depending on the database in use, and only ever looks at the
current version of files not in trash, in catalogs the user can read now.
"""

import functools
import operator
import re
import unicodedata

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet, Value

from catalogs.models import Catalog, File, Version
from catalogs.selectors import catalogs_readable_by
from chat.models import Conversation, Message, Passage
from chat.stopwords import STOPWORDS

SEARCH_CONFIGS = ("english", "spanish")
MAX_SEARCH_TERMS = 32
WORD = re.compile(r"\w+")
WITHHELD_ANSWER = "This answer quoted documents you can no longer read."


def versions_searchable(*, catalogs: QuerySet[Catalog]) -> QuerySet[Version]:
    """The current versions of the files not in trash of ``catalogs``."""
    return Version.objects.filter(
        file__catalog__in=catalogs,
        file__trashed_at__isnull=True,
        file__current_version=F("pk"),
    )


def conversation_list(*, user) -> QuerySet[Conversation]:
    """The user's own conversations, whatever their role, with their catalog."""
    return Conversation.objects.filter(owner=user).select_related("catalog")


def message_list(*, conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.order_by("id")


def message_recent(*, user, conversation: Conversation, limit: int) -> list[Message]:
    """
    The last ``limit`` answered turns, oldest first, for an assistant to read.

    Failed turns are left out, and so are answers quoting a file the user
    can no longer read: they must not reach the assistant's context.
    """
    answered = conversation.messages.filter(status=Message.Status.OK)
    recent = list(reversed(answered.order_by("-id")[:limit]))
    unreadable = files_cited_unreadable(user=user, messages=recent)
    return [message for message in recent if not message.cites(unreadable)]


def messages_as_seen_by(*, user, messages: list[Message]) -> list[Message]:
    """
    ``messages`` as ``user`` may see them now.

    An answer that quoted a file the user can no longer read (its catalog's
    access revoked, or the file deleted) keeps its place in the history, but
    not its text or citations.
    """
    unreadable = files_cited_unreadable(user=user, messages=messages)
    for message in messages:
        if message.cites(unreadable):
            message.content = WITHHELD_ANSWER
            message.citations = []
    return messages


def files_cited_unreadable(*, user, messages: list[Message]) -> set[int]:
    """The ids of the files cited in ``messages`` that ``user`` cannot read now."""
    cited = {citation["file"] for message in messages for citation in message.citations}
    if not cited:
        return set()

    readable = File.objects.filter(
        pk__in=cited, catalog__in=catalogs_readable_by(user)
    ).values_list("pk", flat=True)
    return cited - set(readable)


def search_terms(text: str) -> list[str]:
    """The distinct meaningful words of ``text``, lower-case, in order."""
    terms = []
    for word in WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        if _unaccented(word) not in STOPWORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_SEARCH_TERMS]


def passages_search(
    *, user, query: str, catalog: Catalog | None = None, limit: int = 4
) -> list[Passage]:
    """
    The passages that best match ``query``, best first, each with a ``score``.

    Searches ``catalog`` only when given, else every catalog the user can
    read; a catalog the user cannot read gives nothing. A passage matches
    when it contains any meaningful word of the query, with or without
    accents; a query of stop words only matches nothing.
    """
    terms = search_terms(query)
    if not terms:
        return []

    catalogs = catalogs_readable_by(user)
    if catalog is not None:
        catalogs = catalogs.filter(pk=catalog.pk)
    scope = Passage.objects.filter(version__in=versions_searchable(catalogs=catalogs))

    if connection.vendor == "postgresql":
        return _postgresql_search(scope, terms, limit)
    return _sqlite_search(scope, terms, limit)


def _postgresql_search(scope, terms, limit):
    query = functools.reduce(
        operator.or_,
        (
            SearchQuery(Unaccent(Value(term)), config=config)
            for term in terms
            for config in SEARCH_CONFIGS
        ),
    )
    ranked = (
        scope.filter(search_vector=query)
        .annotate(score=SearchRank(F("search_vector"), query))
        .select_related("version__file")
        .order_by("-score", "pk")
    )
    return list(ranked[:limit])


def _sqlite_search(scope, terms, limit):
    match = " OR ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    scope_sql, scope_params = scope.values("pk").query.sql_with_params()
    # The scope is SQL that Django compiled, its values passed as parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -rank FROM chat_passage_fts "  # noqa: S608
            f"WHERE chat_passage_fts MATCH %s AND rowid IN ({scope_sql}) "
            "ORDER BY rank LIMIT %s",
            [match, *scope_params, limit],
        )
        scores = dict(cursor.fetchall())

    passages = Passage.objects.select_related("version__file").in_bulk(scores)
    for pk, passage in passages.items():
        passage.score = scores[pk]
    return sorted(passages.values(), key=lambda passage: (-passage.score, passage.pk))


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
