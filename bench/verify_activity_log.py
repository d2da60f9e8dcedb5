"""
How fast `verify_activity_log` walks the chain, and how much memory it takes.

Fills a throwaway SQLite database (or the one in `BENCH_DATABASE_URL`, which
is emptied first) with synthetic entries, then times the command in a fresh
process and prints entries per second and its peak memory (Linux only).

    python bench/verify_activity_log.py [--entries 200000]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
ACTIONS = ["auth.login", "user.updated", "file.downloaded", "auth.logout"]


def setup(database_url):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()


def fill(count):
    """Write `count` chained entries in bulk, as years of use would."""
    from django.core.management import call_command
    from django.db import connection, models, transaction

    from audit.chain import GENESIS_HASH, entry_hash
    from audit.models import ActivityLog
    from audit.services import plain_json

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_activitylog")

    rng = random.Random(7)  # noqa: S311 - synthetic data
    start = datetime(2024, 1, 1, tzinfo=UTC)
    previous_hash = GENESIS_HASH
    batch = []
    with transaction.atomic():
        for sequence in range(1, count + 1):
            actor = rng.randint(1, 50)
            entry = ActivityLog(
                sequence=sequence,
                previous_hash=previous_hash,
                created_at=start + timedelta(seconds=sequence * 37),
                actor_id=actor,
                actor_email=f"user{actor}@example.org",
                action=rng.choice(ACTIONS),
                target_type="catalogs.file",
                target_id=str(rng.randint(1, 10_000)),
                target_label=f"Informe trimestral {sequence}.pdf",
                changes=plain_json({"name": ["old.pdf", "new.pdf"], "size": [1, 2.5]}),
                details=plain_json({"catalog": rng.randint(1, 99)}),
                ip_address=f"203.0.113.{actor}",
                user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
                request_id=uuid.UUID(int=rng.getrandbits(128)).hex,
            )
            entry.hash = previous_hash = entry_hash(entry)
            batch.append(entry)
            if len(batch) == 5000:
                # Past the model's guard, which allows one entry at a time.
                models.QuerySet.bulk_create(ActivityLog.objects.all(), batch)
                batch = []
        models.QuerySet.bulk_create(ActivityLog.objects.all(), batch)


def measure():
    """Run the command once; print entries, seconds, and memory in KiB."""
    from io import StringIO

    from django.core.management import call_command

    from audit.models import ActivityLog

    count = ActivityLog.objects.count()
    resident = memory_kib("VmRSS")
    # Start the peak afresh from what the process holds now.
    Path("/proc/self/clear_refs").write_text("5")

    started = time.perf_counter()
    call_command("verify_activity_log", stdout=StringIO())
    elapsed = time.perf_counter() - started
    print(count, elapsed, resident, memory_kib("VmHWM"))


def memory_kib(name):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise LookupError(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        setup(os.environ["DATABASE_URL"])
        measure()
        return

    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3"
        )
        setup(database_url)
        print(f"Writing {args.entries:,} entries to {database_url.split(':')[0]} ...")
        fill(args.entries)
        result = subprocess.run(  # noqa: S603 - this very script
            [sys.executable, __file__, "--measure"],
            env={**os.environ, "DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            check=True,
        )

    count, elapsed, resident, peak = result.stdout.split()[-4:]
    count, elapsed = int(count), float(elapsed)
    growth = (int(peak) - int(resident)) / 1024
    print(
        f"verify_activity_log: {count:,} entries in {elapsed:.1f} s, "
        f"{count / elapsed:,.0f} entries/s; peak memory {int(peak) / 1024:.0f} MiB, "
        f"{growth:.1f} MiB more than before the walk"
    )


if __name__ == "__main__":
    main()
