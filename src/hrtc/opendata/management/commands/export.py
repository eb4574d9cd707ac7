"""`hrtc export iati -o FILE [--validate]` and `hrtc export iati-org -o FILE [--validate]`.

The file is written next to its destination and moved into place only when complete, so a failed or
refused export never leaves a half-written or invalid file where a published one is expected. With
--validate, each activity is checked against the official IATI 2.03 XSD and hrtc's rules as it is
written; any problem refuses the export (exit status 1), naming the activity and the rule.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

KINDS = ("iati", "iati-org")


class Command(BaseCommand):
    help = (
        "Export open data. `hrtc export iati -o FILE` writes an IATI 2.03 activity file of every published "
        "activity; `hrtc export iati-org -o FILE` an organisation file per provider and per fund. "
        "--validate checks against the official 2.03 XSD and the IATI rules; an invalid export is not written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument(
            "-o", "--output", required=True, type=Path, help="the file to write ('-' for stdout)"
        )
        parser.add_argument(
            "--validate", action="store_true", help="validate; refuse to publish an invalid export"
        )
        parser.add_argument(
            "--state", action="append", default=[], help="only activities in this State (ISO alpha-3)"
        )
        parser.add_argument(
            "--provider",
            action="append",
            default=[],
            help="only activities led by / the organisation file of this provider (code)",
        )
        parser.add_argument("--fund", action="append", default=[], help="iati-org: only this fund (code)")
        parser.add_argument(
            "--imported",
            choices=("no", "also", "only"),
            default="no",
            help="iati: also (or only) write activities imported from other publishers (default: no)",
        )

    def handle(self, *args, kind: str, output: Path, validate: bool, **options):
        started = time.perf_counter()
        if kind == "iati":
            count, problems, checked = self._activities(output, validate, options)
            what = "activities"
        else:
            count, problems, checked = self._organisations(output, validate, options)
            what = "organisations"
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if problems:
            for problem in problems[:200]:
                self.stderr.write(f"INVALID {problem}")
            if len(problems) > 200:
                self.stderr.write(f"… and {len(problems) - 200} more problems")
            raise CommandError(
                f"IATI export refused: {len(problems)} problem(s) in {len({p.identifier for p in problems})} of "
                f"{checked} {what}; nothing was published to {output}."
            )
        seconds = time.perf_counter() - started
        summary = f"{count} {what} written to {output} in {seconds:.1f} s (peak RSS {peak_mib:.0f} MiB)"
        if validate:
            summary += f"; valid: IATI 2.03 XSD and {checked} {what} checked against the rules"
        self.stdout.write(self.style.SUCCESS(summary))
        if validate and kind == "iati" and str(output) != "-":
            from hrtc.opendata.iati.validate import coverage

            self.stdout.write(coverage())  # hrtc's rules against the IATI Validator's list

    def _write(self, output: Path, writer):
        """Write to a temporary file beside ``output``; returns it (the caller moves or deletes it)."""
        if str(output) == "-":
            folder, prefix = None, "hrtc-export-"
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            folder, prefix = output.parent, f".{output.name}."
        with tempfile.NamedTemporaryFile(dir=folder, prefix=prefix, suffix=".part", delete=False) as handle:
            try:
                result = writer(handle)
            except BaseException:
                handle.close()
                os.unlink(handle.name)
                raise
        return Path(handle.name), result

    def _publish(self, temp: Path, output: Path, refused: bool) -> None:
        if refused:
            temp.unlink()
        elif str(output) == "-":
            self.stdout.write(temp.read_text(encoding="utf-8"), ending="")
            temp.unlink()
        else:
            umask = os.umask(0)
            os.umask(umask)
            temp.chmod(0o666 & ~umask)  # a published file, readable like any other the user writes
            os.replace(temp, output)

    def _activities(self, output: Path, validate: bool, options):
        from hrtc.assistance.models import Activity
        from hrtc.opendata import publication
        from hrtc.opendata.iati.export import write_activities
        from hrtc.opendata.iati.validate import StreamingValidator

        internal = publication.published_activities()
        external = publication.external_activities()
        if options["state"]:
            states = [s.upper() for s in options["state"]]
            internal = internal.filter(state__in=states)
            external = external.filter(countries__state__in=states).distinct()
        if options["provider"]:
            internal = internal.filter(lead_provider__code__in=options["provider"])
            external = external.filter(reporting_organisation__code__in=options["provider"])
        sources = []
        if options["imported"] != "only":
            sources.append(Activity.objects.filter(pk__in=internal.values("pk")))
        if options["imported"] != "no":
            sources.append(external)
        validator = StreamingValidator() if validate else None

        def records():
            from hrtc.opendata.iati.export import iati_records

            for source in sources:
                yield from iati_records(source)

        temp, count = self._write(output, lambda f: write_activities(records(), f, on_activity=validator))
        problems = validator.problems if validator else []
        self._publish(temp, output, bool(problems))
        return count, problems, validator.checked if validator else count

    def _organisations(self, output: Path, validate: bool, options):
        from hrtc.opendata.iati import organisations
        from hrtc.opendata.iati.export import write_organisations

        problems = []

        def records():
            if not options["fund"]:
                yield from organisations.provider_records(options["provider"] or None)
            if not options["provider"]:
                yield from organisations.fund_records(options["fund"] or None)

        def check(record, element):
            problems.extend(organisations.check(record, element))

        temp, count = self._write(
            output, lambda f: write_organisations(records(), f, on_organisation=check if validate else None)
        )
        self._publish(temp, output, bool(problems))
        return count, problems, count
