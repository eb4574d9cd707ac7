from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "hrtc.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from hrtc.recommendations import disclosure

        disclosure.register_all()
        from hrtc.core import audit
        from hrtc.recommendations import models

        audit.track(models.Recommendation, m2m_fields={"themes", "affected_groups", "responsible_entities"})
        audit.track(models.Pledge)
        audit.track(models.Assessment)
        audit.track(models.ResponsibleEntity)
        audit.track(models.Cluster)
        _register_importer()
        from hrtc.accounts import policy
        from hrtc.recommendations import access

        policy.register_app(access)  # its lines of the access policy
        from hrtc.recommendations import searching

        searching.register_kinds()
        _register_linkables()


def _register_importer() -> None:
    from hrtc.core.importers import Importer, register

    def formats() -> tuple[str, ...]:
        from hrtc.recommendations.importers import detect

        return tuple(parser.FORMAT for parser in detect.PARSERS)

    def run(**kwargs):
        from hrtc.recommendations.importing import recommendations_import

        return recommendations_import(**kwargs)

    register(
        Importer(
            kind="recommendations", help="Recommendations and voluntary pledges", formats=formats, run=run
        )
    )


def _register_linkables() -> None:
    """Recommendations and pledges can be linked to SDGs and themes; their imports bring labels too."""
    from hrtc.linking.subjects import Linkable, register

    register(
        Linkable(
            "recommendations.recommendation",
            text=lambda r: r.text,
            state_field="state_under_review",
            text_fields=("text",),
            imported_goals="sdg_goals",
            imported_themes="themes",
        )
    )
    register(
        Linkable(
            "recommendations.pledge",
            text=lambda p: p.text,
            state_field="state",
            text_fields=("text",),
            imported_themes="themes",
        )
    )
