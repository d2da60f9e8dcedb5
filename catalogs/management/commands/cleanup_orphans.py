from datetime import timedelta

from django.core.management.base import BaseCommand

from catalogs.services import orphan_objects, orphans_delete


class Command(BaseCommand):
    help = (
        "Count stored objects that no version refers to (with --verbosity 2, "
        "list their keys); with --delete, remove them. Objects of direct "
        "uploads that may still be completed are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the orphans found."
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Only consider objects stored at least this long ago "
            "(default 60), so that uploads in progress are left alone.",
        )

    def handle(self, *args, **options):
        older_than = timedelta(minutes=options["older_than"])
        orphans = list(orphan_objects(older_than=older_than))
        # Keys hold the names of files: listed only on request, never in the
        # nightly run's logs.
        if options["verbosity"] >= 2:
            for orphan in orphans:
                self.stdout.write(orphan.key)

        total = sum(orphan.size for orphan in orphans)
        found = f"{len(orphans)} orphan(s) of {total:,} byte(s)"
        if options["delete"]:
            orphans_delete(keys=[orphan.key for orphan in orphans])
            self.stdout.write(self.style.SUCCESS(f"Removed {found}."))
        else:
            self.stdout.write(f"Found {found}; --delete removes them.")
