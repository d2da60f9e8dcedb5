"""
Retrieval quality on the shared corpus of real documents.

Every document of ``docs/`` goes into one catalog; each question of
``questions.jsonl`` is asked through the extractive assistant, and counts as
answered when one of the cited passages contains its expected phrase.
"""

import json

import pytest

from chat.services import conversation_create, message_ask
from tests.accounts.factories import UserFactory
from tests.catalogs.factories import CatalogFactory
from tests.chat.factories import document_add

pytestmark = pytest.mark.django_db

REQUIRED_SHARE = 0.9


def normalised(text):
    return " ".join(text.split())


def test_cited_passages_contain_the_expected_answer(corpus_dir, settings):
    settings.CHAT_BACKEND = "extractive"
    user = UserFactory()
    catalog = CatalogFactory(owner=user)
    for path in sorted((corpus_dir / "docs").iterdir()):
        document_add(catalog, path.name, path.read_bytes())
    questions = [
        json.loads(line)
        for line in (corpus_dir / "questions.jsonl").read_text().splitlines()
    ]

    misses = []
    for question in questions:
        conversation = conversation_create(user=user)
        _, answer = message_ask(
            user=user, conversation=conversation, content=question["question"]
        )
        quoted = [normalised(citation["passage"]) for citation in answer.citations]
        if not any(question["answer_contains"] in passage for passage in quoted):
            misses.append(question["file"])

    share = 1 - len(misses) / len(questions)
    print(
        f"\nCorpus answers found: {share:.0%} ({len(questions) - len(misses)}"
        f"/{len(questions)}); missed: {', '.join(misses) or 'none'}"
    )
    assert share >= REQUIRED_SHARE, misses
