from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from hrtc.core.exceptions import DomainError
from hrtc.linking import datasets, evaluation, services

TASK_TITLES = {"goals": "SDG goals", "themes": "Themes (UPR Info issues)"}


def _sizes(report: dict) -> str:
    lines = []
    for side in ("train", "held_out"):
        for task, by_source in report["sizes"][side].items():
            parts = ", ".join(f"{source} {n:,}" for source, n in by_source.items())
            lines.append(f"  {side.replace('_', '-'):<9} {task:<7} {sum(by_source.values()):>6,}  ({parts})")
    return "\n".join(lines)


def print_report(write: Callable[[str], None], report: dict, *, per_label: bool = True) -> None:
    write(
        "Labelled examples (the held-out side never touches training; split by normalised text, fixed seed):"
    )
    write(_sizes(report))
    for task, result in report["tasks"].items():
        if not result["model"]:
            write(f"{TASK_TITLES[task]}: no held-out records.")
            continue
        model, keywords = result["model"], result["keywords"]
        write("")
        write(f"{TASK_TITLES[task]} — {result['held_out']:,} held-out records")
        write(f"  {'':<12}{'model':>8}{'keywords':>10}")
        write(f"  {'micro-F1':<12}{model['micro_f1']:>8.3f}{keywords['micro_f1']:>10.3f}")
        write(
            f"  {'macro-F1':<12}{model['macro_f1']:>8.3f}{keywords['macro_f1']:>10.3f}   (over labels present in held-out)"
        )
        if per_label:
            write(
                f"  {'label':<40}{'support':>8}   {'model P':>8}{'R':>7}{'F1':>7}   {'keyw. P':>8}{'R':>7}{'F1':>7}"
            )
            for label, m in model["per_label"].items():
                k = keywords["per_label"][label]
                name = f"SDG {label}" if task == "goals" else label.split(":", 1)[1]
                write(
                    f"  {name[:39]:<40}{m['support']:>8}   {m['precision']:>8.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
                    f"   {k['precision']:>8.3f}{k['recall']:>7.3f}{k['f1']:>7.3f}"
                )
    if "texts_per_second_per_core" in report:
        write("")
        write(
            f"Throughput: {report['texts_per_second_per_core']:,.0f} texts/s/core "
            f"(one thread, both heads, {report['speed_texts']:,} held-out texts in batches of {evaluation.BATCH})"
        )


class Command(BaseCommand):
    help = (
        "Evaluate the active classifier and the keyword baseline side by side on the held-out records "
        "(micro/macro-F1, per-label precision and recall) and measure texts per second per core."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--excerpt-only", action="store_true", help="evaluate on the shipped excerpt only"
        )
        parser.add_argument("--no-database", action="store_true", help="ignore labels stored in the database")

    def handle(self, *args, excerpt_only: bool, no_database: bool, **options):
        model = services.active_model()
        if model is None:
            raise CommandError("No classifier is trained yet: run `hrtc train-linker` first.")
        try:
            linker = services.load_linker(model)
        except (DomainError, ValueError) as error:
            raise CommandError(getattr(error, "message", str(error))) from error
        dataset = datasets.build(database=not no_database, excerpt_only=excerpt_only)
        self.stdout.write(f"Classifier {model.version} (seed {model.seed})")
        print_report(self.stdout.write, evaluation.evaluate(linker, dataset))
