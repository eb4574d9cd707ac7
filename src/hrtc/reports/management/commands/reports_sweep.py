from django.core.management.base import BaseCommand

from hrtc.reports import services


class Command(BaseCommand):
    help = (
        "Withdraw every published report version that disclosed a record the public may no longer see (a State "
        "withdrew consent): hrtc reports-sweep. Re-runnable; pages and the API also check lazily."
    )

    def handle(self, *args, **options):
        withdrawn = services.withdraw_stale_reports()
        for saved in withdrawn:
            self.stdout.write(f"Withdrawn: {saved.symbol} v{saved.version} ({saved.title})")
        self.stdout.write(
            self.style.SUCCESS(f"{len(withdrawn)} published version(s) withdrawn.")
            if withdrawn
            else "Every published version still holds only public data."
        )
