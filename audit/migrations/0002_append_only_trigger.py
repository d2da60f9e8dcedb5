from django.db import migrations

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


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)



class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
