from datetime import timedelta

from django.core.management.base import BaseCommand

from catalogs.services import orphan_keys, orphans_delete


class Command(BaseCommand):
    help = (
        "List stored objects that no version refers to; with --delete, remove "
        "them. Objects of direct uploads that may still be completed are kept."
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
        keys = list(orphan_keys(older_than=timedelta(minutes=options["older_than"])))
        for key in keys:
            self.stdout.write(key)

        if options["delete"]:
            orphans_delete(keys=keys)
            self.stdout.write(self.style.SUCCESS(f"Removed {len(keys)} orphan(s)."))
        else:
            self.stdout.write(f"Found {len(keys)} orphan(s); --delete removes them.")
