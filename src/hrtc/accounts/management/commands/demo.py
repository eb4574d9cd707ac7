from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from hrtc.accounts.demo import load_demo
from hrtc.core import demo


class Command(BaseCommand):
    help = "Create demo organisations and one user per role, and print their credentials."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow in production mode (DEBUG=0).")

    def handle(self, *args, force: bool = False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(
                "Refusing to create demo users with a known password in production mode "
                "(DEBUG=0); pass --force if you really mean it."
            )
        rows = load_demo()
        for loader in demo.LOADERS:
            loader()
        table = Table(title="hrtc demo accounts")
        for column in ("username", "password", "who"):
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        Console(file=self.stdout._out, width=110).print(table)
