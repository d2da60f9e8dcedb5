from argparse import ArgumentTypeError
from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from audit.services import activity_prune
from config.exceptions import ApplicationError


def cutoff_argument(value):
    """A date (midnight UTC) or a date and time (UTC unless it says)."""
    try:
        moment = parse_datetime(value)
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ArgumentTypeError(
            f"Give a date as YYYY-MM-DD or a date and time in ISO 8601, not {value!r}."
        )

    if moment is None:
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


class Command(BaseCommand):
    help = (
        "Remove the activity log entries recorded before a date, keeping the "
        "rest of the chain verifiable, and record that in the log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            type=cutoff_argument,
            required=True,
            metavar="DATE",
            help="Remove entries recorded before this date (YYYY-MM-DD, UTC) "
            "or date and time (ISO 8601).",
        )

    def handle(self, *args, before, **options):
        try:
            anchor = activity_prune(before=before)
        except ApplicationError as error:
            raise CommandError(error.detail) from None

        if anchor is None:
            self.stdout.write(f"No entries were recorded before {before.isoformat()}.")
            return
        details = anchor.details
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {details['removed']} entries, "
                f"#{details['first_removed_sequence']} to "
                f"#{details['last_removed_sequence']}. The chain now starts at "
                f"#{details['last_removed_sequence'] + 1}; this pruning is entry "
                f"#{anchor.sequence}."
            )
        )
