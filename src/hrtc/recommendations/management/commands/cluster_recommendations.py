from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from hrtc.accounts.policy import SYSTEM
from hrtc.recommendations.clustering import DEFAULT_THRESHOLD, recommendations_cluster


class Command(BaseCommand):
    help = (
        "Group near-duplicate recommendations to each State into clusters (clusters edited by hand are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--state", action="append", dest="states", help="ISO alpha-3; repeat for several")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"cosine similarity to join two recommendations (default {DEFAULT_THRESHOLD})",
        )

    def handle(self, *args, states, threshold, **options):
        console = Console(file=self.stderr._out)
        with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task("Clustering", total=None)
            try:
                report = recommendations_cluster(
                    by=SYSTEM,
                    states=[s.upper() for s in states] if states else None,
                    threshold=threshold,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.clusters} clusters holding {report.clustered} of {report.recommendations} recommendations "
                f"to {report.states} States (threshold {threshold}) in {report.seconds:.1f} s"
            )
        )
        for size, label in report.largest[:5]:
            self.stdout.write(f"  {size:>4} × {label}")
