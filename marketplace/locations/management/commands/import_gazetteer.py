import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.locations.importer import COLUMNS, REQUIRED_COLUMNS, import_gazetteer

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import counties and villages from a UTF-8 CSV with the columns "
        f"{', '.join(COLUMNS)} (province: Persian name or code such as IR-09). "
        "Running it again changes nothing; bad rows are reported and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; save nothing"
        )

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte order mark.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                reader.fieldnames = [
                    (name or "").strip().lower() for name in (reader.fieldnames or [])
                ]
                missing = [column for column in REQUIRED_COLUMNS if column not in reader.fieldnames]
                if missing:
                    raise CommandError(
                        f"{path} has no {', '.join(missing)} column; expected a header row "
                        f"with {', '.join(COLUMNS)}"
                    )
                # Row numbers in the report are line numbers: the header is line 1.
                report = import_gazetteer(reader, dry_run=dry_run, start=2)
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        except csv.Error as error:
            raise CommandError(f"{path} is not a readable CSV file: {error}") from error

        for row_error in report.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"Skipped {row_error}")
        if len(report.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more bad rows")
        summary = report.summary()
        if dry_run:
            self.stdout.write(f"Dry run, nothing saved. {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
