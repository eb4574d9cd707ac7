from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "hrtc.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from hrtc.core import audit, demo
        from hrtc.opendata import models
        from hrtc.opendata.demo import load_demo

        # Translations are entered by people: field-level history. Imported activities are written by
        # `hrtc import iati` in bulk; each import is one audit event on its ImportRun record (core).
        audit.track(models.ActivityTranslation)
        demo.register(load_demo)
        _register_visibility()
        from hrtc.accounts import policy
        from hrtc.opendata import access

        policy.register_app(access)  # its lines of the access policy
        _register_importer()


def _register_visibility() -> None:
    from django.db.models import Q

    from hrtc.accounts import policy
    from hrtc.assistance.models import Activity
    from hrtc.core import disclosure

    def activity_children(p: policy.Principal) -> Q | bool:
        """A translation follows its activity: whoever sees the activity (its disclosure decision)."""
        rows = disclosure.of(Activity).rows(p)
        return True if rows is True else Q(activity__in=Activity.objects.filter(rows).values("pk"))

    policy.register_visibility(
        "opendata.activitytranslation", policy.Scope(activity_children, "whoever sees the activity")
    )


def _register_importer() -> None:
    from hrtc.core.importers import Importer, register

    def formats() -> tuple[str, ...]:
        from hrtc.opendata.iati.importer import FORMATS

        return FORMATS

    def run(**kwargs):
        from hrtc.opendata.iati.importer import import_file

        return import_file(**kwargs)

    register(
        Importer(
            kind="iati",
            help="IATI 2.03 activity files published by others (human-rights sectors and gender-marked)",
            formats=formats,
            run=run,
        )
    )
