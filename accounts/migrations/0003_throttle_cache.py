from django.core.management import call_command
from django.db import migrations

# The "throttle" cache's table when REDIS_URL is unset (config/settings.py).
# It is made here, rather than by `createcachetable`, so that `migrate` is
# all a deployment runs.
TABLE = "throttle_cache"


def create_table(apps, schema_editor):
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_decides_admin_access"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
