import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import ActivityLog
from tests.audit.helpers import verify

BEFORE_CHAIN = [("audit", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_entries_recorded_before_the_chain_are_chained_by_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_CHAIN)
    OldActivityLog = executor.loader.project_state(BEFORE_CHAIN).apps.get_model(
        "audit", "ActivityLog"
    )
    for n in range(3):
        OldActivityLog.objects.create(
            action="auth.login", ip_address="::ffff:192.0.2.1", details={"n": n}
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(ActivityLog.objects.values_list("sequence", "details")) == [
        (1, {"n": 0}),
        (2, {"n": 1}),
        (3, {"n": 2}),
    ]
    assert "intact: 3 entries" in verify()
