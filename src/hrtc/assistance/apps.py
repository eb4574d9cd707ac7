from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hrtc.assistance"
    label = "assistance"
    verbose_name = "Technical assistance"

    def ready(self) -> None:
        from hrtc.assistance import disclosure, models

        disclosure.register_all()
        from hrtc.accounts import policy
        from hrtc.assistance import access

        policy.register_app(access)  # its lines of the access policy
        from hrtc.core import audit

        audit.track(models.AssistanceRequest, m2m_fields={"consent_providers", "themes", "recommendations"})
        audit.track(models.Offer)
        audit.track(models.Activity, m2m_fields={"partners", "recommendations"})
        audit.track(models.ActivityParticipantGroup)
        from hrtc.assistance.demo import load_demo
        from hrtc.core import demo

        demo.register(load_demo)
        from hrtc.assistance import searching

        searching.register_kinds()
        from hrtc.linking.subjects import Linkable, register

        register(  # activities can be linked to SDGs and themes, from their title, description and outputs
            Linkable(
                "assistance.activity",
                text=lambda a: "\n".join(part for part in (a.title, a.description, a.outputs) if part),
                state_field="state",
                text_fields=("title", "description", "outputs"),
            )
        )
