"""
The full-text index of passages, one per database engine.

PostgreSQL: the `unaccent` extension and a GIN index on the search vector,
which the service that stores passages fills. SQLite: an FTS5 table over the
passage text, kept in step with `chat_passage` by triggers, so that rows
deleted by a cascade leave the index too. Each engine skips the other's part.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

POSTGRESQL_FORWARDS = [
    "CREATE INDEX chat_passage_search_gin ON chat_passage USING gin (search_vector)",
]
POSTGRESQL_BACKWARDS = ["DROP INDEX IF EXISTS chat_passage_search_gin"]

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE chat_passage_fts USING fts5(
        text,
        content='chat_passage',
        content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER chat_passage_fts_insert AFTER INSERT ON chat_passage BEGIN
        INSERT INTO chat_passage_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER chat_passage_fts_delete AFTER DELETE ON chat_passage BEGIN
        INSERT INTO chat_passage_fts (chat_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END
    """,
    """
    CREATE TRIGGER chat_passage_fts_update AFTER UPDATE OF text ON chat_passage
    BEGIN
        INSERT INTO chat_passage_fts (chat_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO chat_passage_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS chat_passage_fts_update",
    "DROP TRIGGER IF EXISTS chat_passage_fts_delete",
    "DROP TRIGGER IF EXISTS chat_passage_fts_insert",
    "DROP TABLE IF EXISTS chat_passage_fts",
]

FORWARDS = {"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}
BACKWARDS = {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}


def create_search_index(apps, schema_editor):
    for statement in FORWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    for statement in BACKWARDS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
