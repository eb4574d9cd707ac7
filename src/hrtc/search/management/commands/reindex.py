from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from hrtc.search import engine


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the records (recommendations, pledges, requests, activities, offers, "
        "good practices, SDG goals and targets)."
    )

    def handle(self, *args, **options):
        console = Console(file=self.stderr._out)
        with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
            tasks = {}

            def progress(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(f"Indexing {kind}s", total=total)
                bar.update(tasks[kind], completed=done)

            counts = engine.reindex(progress=progress)
        for kind, count in counts.items():
            self.stdout.write(f"{kind:>16}: {count} indexed")
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
