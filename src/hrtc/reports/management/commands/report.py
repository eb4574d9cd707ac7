import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hrtc.accounts.policy import SYSTEM
from hrtc.core.exceptions import DomainError
from hrtc.reports import builders, services
from hrtc.reports.choices import Audience, ReportFormat, ReportKind
from hrtc.reports.document import Params


class Command(BaseCommand):
    help = (
        "Generate a report: hrtc report thematic|country|fund|gender [--from DATE] [--to DATE] [--state KEN] "
        "[--region AFRICAN] [--theme uhri:B31] [--provider ohchr] [--fund VFTC] [--language fr] "
        "--format html|pdf|docx|xlsx -o FILE"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--from", dest="start", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day of the period, YYYY-MM-DD")
        parser.add_argument(
            "--state",
            dest="states",
            action="append",
            default=[],
            help="ISO alpha-3; repeat or comma-separate",
        )
        parser.add_argument(
            "--region", help="UN regional group: AFRICAN, ASIA_PACIFIC, EASTERN_EUROPEAN, ..."
        )
        parser.add_argument("--theme", help="theme key, e.g. uhri:B31 (its equivalents count too)")
        parser.add_argument("--provider", help="provider organisation code, e.g. ohchr")
        parser.add_argument("--fund", help="fund code, e.g. VFTC")
        parser.add_argument("--language", default="en", help="ar, zh, en, fr, ru or es (default en)")
        parser.add_argument("--title", help="the report's title (default: by type)")
        parser.add_argument(
            "--format", dest="fmt", choices=ReportFormat.values, help="default: from -o's extension"
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="file to write")
        parser.add_argument("--manifest", type=Path, help="also write the manifest (JSON) to this file")
        parser.add_argument("--as", dest="as_user", help="draw the report from what this user may see")
        parser.add_argument(
            "--public", action="store_true", help="draw the report from public data only (publishable)"
        )
        parser.add_argument(
            "--save", action="store_true", help="save it as a document (HRTC/REP/<year>/<n>), every format"
        )
        parser.add_argument(
            "--symbol", default="", help="with --save: save as the next version of this symbol"
        )

    def handle(self, *args, kind, start, end, states, region, theme, provider, fund, language, title, fmt,
               output: Path, manifest: Path | None, as_user, public, save, symbol, **options):  # fmt: skip
        fmt = fmt or output.suffix.lstrip(".").lower()
        if fmt not in ReportFormat.values:
            raise CommandError(f"Say which format with --format ({', '.join(ReportFormat.values)}).")
        by = SYSTEM
        if as_user:
            try:
                by = get_user_model().objects.get(username=as_user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {as_user!r}.") from None
        audience = Audience.PUBLIC if public else Audience.MINE
        console = Console(file=self.stderr._out)
        try:
            params = Params.parse(
                kind,
                start=start,
                end=end,
                states=",".join(states),
                region=region,
                theme=theme,
                provider=provider,
                fund=fund,
                language=language,
                title=title,
            )
            formats = ReportFormat.values if save else [fmt]
            with Progress(
                TextColumn("{task.description:<60.60}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as bar:
                task = bar.add_task(f"{kind} report: queries", total=builders.plan(params) + len(formats))

                def step(label: str) -> None:
                    bar.update(task, advance=1, description=label)

                report = services.report_generate(params=params, by=by, audience=audience, progress=step)
                files = {}
                for name in formats:
                    bar.update(task, description=f"Writing {name.upper()}")
                    files[name] = services.report_render(report, [name])[name]
                    bar.update(task, advance=1)
            output.write_bytes(files[fmt])
            if manifest:
                manifest.write_text(
                    json.dumps(report.manifest, indent=1, ensure_ascii=False), encoding="utf-8"
                )
            if save:
                saved = services.report_save(
                    by=by,
                    kind=kind,
                    title=report.title,
                    parameters=params.as_dict(),
                    language=params.language,
                    audience=audience,
                    manifest=report.manifest,
                    files=files,
                    symbol=symbol,
                )
                self.stdout.write(f"Saved as {saved.symbol}, version {saved.version}.")
        except (DomainError, PermissionDenied) as error:
            raise CommandError(getattr(error, "message", str(error))) from error
        note = "" if report.has_data else " No data in this period: the report says so."
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output} ({fmt}, {output.stat().st_size:,} bytes): {len(report.tables)} tables, "
                f"{len(report.figures)} figures, content {report.manifest['content_sha256'][:12]}.{note}"
            )
        )
