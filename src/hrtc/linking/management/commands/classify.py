from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hrtc.accounts.policy import SYSTEM
from hrtc.core.exceptions import DomainError
from hrtc.linking.services import links_classify
from hrtc.linking.subjects import LINKABLE, linkable_by_name


class Command(BaseCommand):
    help = (
        "Suggest SDG goal and theme links with the active classifier. Links people added, accepted or "
        "removed are never changed; only open suggestions are replaced."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing", action="store_true", help="records the active classifier has not seen (default)"
        )
        which.add_argument("--all", action="store_true", help="every record again")
        parser.add_argument(
            "--type", action="append", dest="types", help=f"only these record types ({', '.join(LINKABLE)})"
        )

    def handle(self, *args, all: bool, missing: bool, types: list[str] | None, **options):
        try:
            labels = [linkable_by_name(t).label for t in types] if types else None
        except LookupError as error:
            raise CommandError(str(error)) from error
        console = Console(file=self.stderr._out)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task("Classifying", total=None)
            try:
                report = links_classify(
                    by=SYSTEM,
                    only_missing=not all,
                    types=labels,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except DomainError as error:
                raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
