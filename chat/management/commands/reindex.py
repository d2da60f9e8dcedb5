from django.core.management.base import BaseCommand, CommandError

from catalogs.models import Catalog, ExtractionStatus
from chat.selectors import versions_searchable
from chat.services import version_extract
from config.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Extract again the text of the current version of every file not in "
        "trash, in one catalog or in all of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("catalog", nargs="?", type=int, help="Catalog id.")
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only the versions whose text was never extracted, such as "
            "those of an extraction that could not start.",
        )

    def handle(self, *args, catalog=None, pending=False, **options):
        catalogs = Catalog.objects.all()
        if catalog is not None:
            catalogs = catalogs.filter(pk=catalog)
            if not catalogs.exists():
                raise CommandError(f"There is no catalog with id {catalog}.")

        versions = versions_searchable(catalogs=catalogs)
        if pending:
            versions = versions.filter(extraction_status=ExtractionStatus.PENDING)
        outcomes = dict.fromkeys(ExtractionStatus.values, 0)
        progress = progress_bar(
            self,
            versions.iterator(),
            total=versions.count(),
            unit="version",
            verbosity=options["verbosity"],
        )
        for version in progress:
            version_extract(version=version)
            outcomes[version.extraction_status] += 1

        summary = ", ".join(f"{count} {status}" for status, count in outcomes.items())
        self.stdout.write(f"Reindexed: {summary}.")
