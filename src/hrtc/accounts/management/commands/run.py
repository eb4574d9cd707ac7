import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from hrtc.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    # Beside `demo` (whose accounts it announces): the platform on this machine, as `make run` starts it.
    help = (
        "Set up and serve hrtc on this machine: migrate (which loads the reference data), create the demo "
        "accounts, and serve on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo accounts.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background worker (reports, ...)."
        )

    def handle(self, *args, addrport: str, no_demo: bool, no_worker: bool = False, **options):
        settings.HRTC_DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data directory: {settings.HRTC_DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=1)
        call_command("load_reference")
        if not no_demo:
            call_command("demo")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        login = "" if no_demo else f" — sign in as admin / {DEMO_PASSWORD} (other demo accounts above)"
        worker = None
        if (
            not no_worker
        ):  # background work (report rendering, ...) runs beside the server: django-tasks' worker
            worker = subprocess.Popen([sys.executable, "-m", "hrtc", "db_worker", "--no-reload"])
            self.stdout.write("Background worker started (hrtc db-worker).")
        self.stdout.write(self.style.SUCCESS(f"Serving hrtc on http://{addrport}/{login}"))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
