from pathlib import Path

from django.core.files import File as DjangoFile
from django.core.management.base import BaseCommand, CommandError

from accounts.selectors import user_for_email
from catalogs.models import Access, Catalog
from catalogs.permissions import access_includes
from catalogs.selectors import catalog_access_for
from catalogs.services import document_import
from config.exceptions import ApplicationError
from config.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Import the files of a folder into a catalog. A file whose name is "
        "already in the catalog becomes a new version of it; any other becomes "
        "a new file. Sub-folders are not imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("catalog", help="The catalog's id or exact name.")
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--user", help="E-mail of the uploader (default: the catalog's owner)."
        )
        parser.add_argument("--comment", default="Imported from a folder.")

    def handle(self, *args, **options):
        catalog = find_catalog(options["catalog"])
        uploader = find_uploader(options["user"], catalog)
        folder = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")

        paths = sorted(folder.iterdir())
        counts = {"file": 0, "version": 0}
        skipped = []
        progress = progress_bar(
            self, paths, unit="file", verbosity=options["verbosity"]
        )
        for path in progress:
            try:
                created = self.import_one(path, catalog, uploader, options["comment"])
            except (OSError, ApplicationError) as error:
                skipped.append((path.name, describe(error)))
                continue
            counts["file" if created else "version"] += 1

        self.report(counts, skipped)

    def import_one(self, path, catalog, uploader, comment):
        if path.is_dir():
            raise OSError("a folder; only the folder's own files are imported")
        with path.open("rb") as handle:
            _, created = document_import(
                catalog=catalog,
                uploader=uploader,
                content=DjangoFile(handle, name=path.name),
                comment=comment,
            )
        return created

    def report(self, counts, skipped):
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counts['file']} new file(s) and "
                f"{counts['version']} new version(s)."
            )
        )
        if skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {len(skipped)}:"))
        for name, reason in skipped:
            self.stdout.write(f"  {name}: {reason}")


def find_catalog(value):
    catalogs = Catalog.objects.all()
    found = catalogs.filter(pk=value) if value.isdigit() else catalogs.none()
    found = found or catalogs.filter(name=value)
    if len(found) != 1:
        raise CommandError(f"No single catalog has the id or name {value!r}.")
    return found[0]


def find_uploader(email, catalog):
    if not email:
        return catalog.owner
    user = user_for_email(email)
    if user is None:
        raise CommandError(f"There is no user with the e-mail {email}.")
    if not access_includes(catalog_access_for(user, catalog), Access.WRITE):
        raise CommandError(f"{email} may not add files to this catalog.")
    return user


def describe(error):
    if isinstance(error, ApplicationError):
        return error.detail
    return error.strerror or str(error)
