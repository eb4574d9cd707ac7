from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from hrtc.accounts import policy


class Command(BaseCommand):
    help = "Print the access policy table: every action and model, and who may do or see it."

    def handle(self, *args, **options):
        table = Table(title="hrtc access policy")
        table.add_column("action / visibility")
        table.add_column("who")
        for action, who in policy.table():
            table.add_row(action, who)
        Console(file=self.stdout._out, width=140).print(table)
