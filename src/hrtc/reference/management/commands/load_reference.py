from django.core.management.base import BaseCommand, CommandError

from hrtc.reference.loader import ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Load or refresh the reference data (States, mechanisms, SDGs, themes, affected groups, currencies, "
        "funds, provider organisations). Re-running changes nothing that is already up to date."
    )

    def handle(self, *args, **options):
        try:
            report = load_reference(quiet=True)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        for name, counts in report.counts.items():
            self.stdout.write(f"{name:>24}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({report.changed} rows changed)."))
