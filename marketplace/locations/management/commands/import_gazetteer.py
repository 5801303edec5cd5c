import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.locations.importer import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ImportReport,
    import_gazetteer,
)

MAX_ERRORS_SHOWN = 50
# The official village list (Statistical Centre of Iran) names its columns in Persian.
HEADER_ALIASES = {
    "استان": "province",
    "شهرستان": "county",
    "آبادی": "village",
    "نام آبادی": "village",
    "روستا": "village",
    "نام روستا": "village",
}


def _column(header: str | None) -> str:
    name = " ".join((header or "").split()).lower()
    return HEADER_ALIASES.get(name, name)


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

    def _progress(self, report: ImportReport, stage: str) -> None:
        if stage == "reading":
            self.stdout.write(
                f"Read {report.rows:,} rows: {report.created:,} new villages so far, "
                f"{len(report.errors):,} bad rows"
            )
        elif stage == "saving":
            self.stdout.write(f"Read all {report.rows:,} rows; saving…")
        self.stdout.flush()

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte order mark.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                reader.fieldnames = [_column(name) for name in (reader.fieldnames or [])]
                missing = [column for column in REQUIRED_COLUMNS if column not in reader.fieldnames]
                if missing:
                    raise CommandError(
                        f"{path} has no {', '.join(missing)} column; expected a header row "
                        f"with {', '.join(COLUMNS)}"
                    )
                # Row numbers in the report are line numbers: the header is line 1.
                report = import_gazetteer(reader, dry_run=dry_run, start=2, progress=self._progress)
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
