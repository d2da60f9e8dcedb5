import logging
import re
from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import activity_chain_verify

logger = logging.getLogger(__name__)

HEAD = re.compile(r"^#?(?P<sequence>[1-9][0-9]*):(?P<hash>[0-9a-f]{64})$")


def head_argument(value):
    match = HEAD.match(value.strip().lower())
    if match is None:
        raise ArgumentTypeError(
            "Give the head as SEQUENCE:HASH, as printed by an earlier run, "
            f"not {value!r}."
        )
    return int(match["sequence"]), match["hash"]


def chunk_size_argument(value):
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"Give a whole number above zero, not {value!r}.")
    return int(value)


class Command(BaseCommand):
    help = (
        "Check that no activity log entry was changed, removed or inserted, "
        "walking the hash chain from its start. Exits non-zero at the first "
        "broken entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            type=head_argument,
            metavar="SEQUENCE:HASH",
            help="A head printed by an earlier run, which must still be there "
            "unchanged: shows that the newest entries were not removed.",
        )
        parser.add_argument(
            "--chunk-size",
            type=chunk_size_argument,
            default=2000,
            help="Entries read from the database at a time (default 2000).",
        )

    def handle(self, *args, head, chunk_size, **options):
        report = activity_chain_verify(head=head, chunk_size=chunk_size)

        if report.problem:
            logger.error("Activity log broken: %s", report.problem)
            raise CommandError(f"The activity log is broken. {report.problem}")

        if not report.checked:
            self.stdout.write(self.style.SUCCESS("The activity log is empty."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"The activity log is intact: {report.checked} entries, "
                f"#{report.first_sequence} to #{report.head_sequence}."
            )
        )
        self.stdout.write(f"Head: {report.head_sequence}:{report.head_hash}")
