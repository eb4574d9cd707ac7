from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hrtc.core import access
from hrtc.core.exceptions import DomainError
from hrtc.core.importers import IMPORTERS


def count_rows(path: Path) -> int | None:
    """Rows in a CSV, for the progress bar (cheap: a byte scan). None for other formats."""
    if path.suffix.lower() not in {".csv", ".tsv", ".txt"}:
        return None
    with path.open("rb") as handle:
        return max(sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)


class Command(BaseCommand):
    help = (
        "Import files: `hrtc import recommendations FILE...`. The format is detected from the file; "
        "--format overrides. Each file is all-or-nothing: a bad row refuses the file and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="what to import: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--format", dest="file_format", help="override format detection")
        parser.add_argument(
            "--as", dest="as_user", help="record the import as this user (checked by the policy)"
        )

    def handle(
        self, *args, kind: str, files: list[Path], file_format: str | None, as_user: str | None, **options
    ):
        importer = IMPORTERS.get(kind)
        if importer is None:
            raise CommandError(f"Unknown import kind {kind!r}; use one of: {', '.join(sorted(IMPORTERS))}.")
        if file_format and file_format not in importer.formats():
            raise CommandError(
                f"Unknown format {file_format!r} for {kind}; use one of: {', '.join(importer.formats())}."
            )
        by = access.system()
        if as_user:
            try:
                by = get_user_model().objects.get(username=as_user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {as_user!r}.") from None
        console = Console(file=self.stderr._out)
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,} rows"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as bar:
                task = bar.add_task(f"Importing {path.name}", total=count_rows(path))
                try:
                    report = importer.run(
                        path=path,
                        by=by,
                        format=file_format,
                        progress=lambda n, task=task: bar.update(task, completed=n),
                    )
                except DomainError as error:
                    raise CommandError(error.message) from error
            self.stdout.write(self.style.SUCCESS(report.summary()))
