"""
Retrieval, on whichever database the suite runs: SQLite's FTS5 by default,
PostgreSQL's full-text search when DATABASE_URL names one.
"""

import pytest
from django.utils import timezone

from chat.selectors import passages_search, search_terms
from chat.services import version_extract
from tests.accounts.factories import AdminFactory, UserFactory
from tests.catalogs.factories import CatalogFactory, FileFactory, GrantFactory
from tests.chat.factories import document_add, version_store

pytestmark = pytest.mark.django_db

ENGLISH = (
    "The twelve-factor app stores config in environment variables. Env vars "
    "are easy to change between deploys without changing any code."
)
SPANISH = (
    "Rosa y Pinín cuidaban de la vaca Cordera en el prado. La acción de la "
    "compañía del ferrocarril cambió la vida de los niños para siempre."
)
UNRELATED = "Ducks are birds of the family Anatidae that swim in lakes and rivers."


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def library(owner):
    catalog = CatalogFactory(owner=owner)
    document_add(catalog, "config.md", ENGLISH.encode())
    document_add(catalog, "cordera.txt", SPANISH.encode())
    document_add(catalog, "ducks.txt", UNRELATED.encode())
    return catalog


def found(passages):
    return [passage.version.file.name for passage in passages]


def test_english_question_finds_the_english_document(owner, library):
    passages = passages_search(
        user=owner, query="Where does the app keep its configuration variables?"
    )

    assert found(passages)[0] == "config.md"


def test_english_search_matches_other_forms_of_a_word(owner, library):
    passages = passages_search(user=owner, query="deploy stored")

    assert found(passages) == ["config.md"]


@pytest.mark.parametrize(
    "query",
    [
        "¿Qué acción cambió la vida de los niños?",
        "Que accion cambio la vida de los ninos",
        "ACCIÓN de la COMPAÑÍA",
        "compania ferrocarril",
    ],
)
def test_spanish_question_finds_the_spanish_document_with_or_without_accents(
    owner, library, query
):
    passages = passages_search(user=owner, query=query)

    assert found(passages)[0] == "cordera.txt"


def test_accented_question_finds_unaccented_text(owner):
    catalog = CatalogFactory(owner=owner)
    document_add(catalog, "plain.txt", b"La cancion del pinguino sin acentos.")

    passages = passages_search(user=owner, query="canción pingüino")

    assert found(passages) == ["plain.txt"]


def test_best_match_comes_first_with_a_higher_score(owner, library):
    passages = passages_search(user=owner, query="vaca Cordera prado ducks")

    assert found(passages) == ["cordera.txt", "ducks.txt"]
    assert passages[0].score > passages[1].score > 0


def test_limit_caps_the_number_of_passages(owner, library):
    passages = passages_search(user=owner, query="vaca ducks config", limit=2)

    assert len(passages) == 2


def test_question_of_stop_words_only_finds_nothing(owner, library):
    assert passages_search(user=owner, query="What is it, and who are they?") == []
    assert passages_search(user=owner, query="¿Qué es lo que hay?") == []


def test_question_without_any_matching_word_finds_nothing(owner, library):
    assert passages_search(user=owner, query="quantum chromodynamics") == []


def test_search_terms_drop_stop_words_and_repeats():
    terms = search_terms("¿Cuál es la acción del Acción? What is the AFN code?")

    assert terms == ["acción", "afn", "code"]


def test_only_the_current_version_is_searched(owner):
    catalog = CatalogFactory(owner=owner)
    version = document_add(catalog, "notes.txt", b"obsolete wording")
    version_extract(version=version_store(version.file, b"fresh wording"))

    assert passages_search(user=owner, query="obsolete") == []
    assert found(passages_search(user=owner, query="fresh")) == ["notes.txt"]


def test_files_in_trash_are_not_searched(owner):
    catalog = CatalogFactory(owner=owner)
    version = document_add(catalog, "gone.txt", b"trashed wording")
    version.file.trashed_at = timezone.now()
    version.file.save()

    assert passages_search(user=owner, query="trashed wording") == []


def test_failed_versions_have_nothing_to_find(owner):
    catalog = CatalogFactory(owner=owner)
    file = FileFactory(catalog=catalog, name="fake.pdf")
    version_extract(version=version_store(file, b"not really a pdf named wording"))

    assert passages_search(user=owner, query="wording") == []


class TestPermissionBoundary:
    """Two users, two catalogs, and a word found in only one of them."""

    @pytest.fixture
    def alice(self):
        return UserFactory()

    @pytest.fixture
    def bob(self):
        return UserFactory()

    @pytest.fixture
    def catalogs(self, alice, bob):
        secret = CatalogFactory(owner=alice)
        document_add(secret, "secret.txt", b"The zeppelin budget is confidential.")
        shared = CatalogFactory(owner=bob)
        document_add(shared, "shared.txt", b"The public budget is published.")
        return secret, shared

    def test_a_user_never_receives_a_passage_of_a_catalog_they_cannot_read(
        self, bob, catalogs
    ):
        assert passages_search(user=bob, query="zeppelin") == []
        assert found(passages_search(user=bob, query="zeppelin budget")) == [
            "shared.txt"
        ]

    def test_the_owner_finds_the_word(self, alice, catalogs):
        assert found(passages_search(user=alice, query="zeppelin")) == ["secret.txt"]

    def test_asking_about_an_unreadable_catalog_finds_nothing(self, bob, catalogs):
        secret, _ = catalogs

        assert passages_search(user=bob, query="budget", catalog=secret) == []

    def test_a_grant_opens_the_catalog_and_its_removal_closes_it(self, bob, catalogs):
        secret, _ = catalogs
        grant = GrantFactory(catalog=secret, user=bob)

        assert found(passages_search(user=bob, query="zeppelin")) == ["secret.txt"]

        grant.delete()

        assert passages_search(user=bob, query="zeppelin") == []

    def test_scoping_to_one_catalog_leaves_the_others_out(self, alice, catalogs):
        secret, shared = catalogs
        GrantFactory(catalog=shared, user=alice)

        passages = passages_search(user=alice, query="budget", catalog=shared)

        assert found(passages) == ["shared.txt"]

    def test_an_admin_reads_every_catalog(self, catalogs):
        passages = passages_search(user=AdminFactory(), query="budget")

        assert sorted(found(passages)) == ["secret.txt", "shared.txt"]
