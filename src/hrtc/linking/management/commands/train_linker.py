from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from hrtc.accounts.policy import SYSTEM
from hrtc.core.exceptions import DomainError
from hrtc.linking import datasets
from hrtc.linking.management.commands.evaluate_linker import print_report
from hrtc.linking.services import linker_train


class Command(BaseCommand):
    help = (
        "Train the SDG goal and theme classifier from the shipped labelled data (../shared/data when present, "
        "else the excerpt in hrtc/linking/data) and the labels in the database; store it in HRTC_DATA_DIR/models/ "
        "and make it the active classifier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="random seed (same data + seed = same model)")
        parser.add_argument(
            "--excerpt-only", action="store_true", help="ignore ../shared/data: train on the shipped excerpt"
        )
        parser.add_argument("--no-database", action="store_true", help="ignore labels stored in the database")

    def handle(self, *args, seed: int, excerpt_only: bool, no_database: bool, **options):
        console = Console(file=self.stderr._out)
        with console.status("Reading labelled data", spinner="line") as status:
            dataset = datasets.build(database=not no_database, excerpt_only=excerpt_only)
            try:
                report = linker_train(
                    by=SYSTEM,
                    seed=seed,
                    dataset=dataset,
                    progress=lambda step: status.update(f"Training: {step}"),
                )
            except DomainError as error:
                raise CommandError(error.message) from error
        model = report.model
        self.stdout.write(
            self.style.SUCCESS(
                f"Trained classifier {model.version} in {report.seconds:.0f} s "
                f"({model.params['kept_features']['themes']:,} theme and {model.params['kept_features']['goals']:,} goal features); active; file {model.file_name}"
            )
        )
        print_report(self.stdout.write, report.evaluation, per_label=False)
