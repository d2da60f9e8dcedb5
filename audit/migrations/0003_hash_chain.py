import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash

# TRUNCATE is not refused, so that test databases can still be emptied.
CREATE_TRIGGER = """
CREATE FUNCTION audit_activitylog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
            AND current_setting('audit.allow_delete', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'The activity log is append-only: ' || TG_OP || ' refused.',
        ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER audit_activitylog_append_only
    BEFORE UPDATE OR DELETE ON audit_activitylog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_activitylog_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER audit_activitylog_append_only ON audit_activitylog;
DROP FUNCTION audit_activitylog_append_only();
"""


def chain_existing_entries(apps, schema_editor):
    ActivityLog = apps.get_model("audit", "ActivityLog")
    previous_hash = GENESIS_HASH
    entries = ActivityLog.objects.using(schema_editor.connection.alias).order_by("id")
    for sequence, entry in enumerate(entries, start=1):
        entry.sequence = sequence
        entry.previous_hash = previous_hash
        entry.hash = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS})
        entry.save(update_fields=["sequence", "previous_hash", "hash"])
        previous_hash = entry.hash


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_accounts_action_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="activitylog",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="activitylog",
            name="action",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="activitylog",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now
            ),
        ),
        migrations.AlterField(
            model_name="activitylog",
            name="ip_address",
            field=models.GenericIPAddressField(
                blank=True, null=True, verbose_name="IP address"
            ),
        ),
        migrations.AddField(
            model_name="activitylog",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="activitylog",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activitylog",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activitylog",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.AlterModelOptions(
            name="activitylog",
            options={
                "default_permissions": ["view"],
                "ordering": ["sequence"],
                "verbose_name": "entry",
                "verbose_name_plural": "entries",
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
