from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "hrtc.funds"
    label = "funds"
    verbose_name = "Voluntary funds"

    def ready(self) -> None:
        from hrtc.core import audit, demo
        from hrtc.funds import models
        from hrtc.funds.demo import load_demo

        # Field-level history of the records people enter; the ledger itself is append-only and each
        # posting is one audit event (`audit.record` in the services).
        for model in (
            models.Donor,
            models.ExchangeRate,
            models.Pledge,
            models.Contribution,
            models.Grant,
            models.Disbursement,
            models.Refund,
        ):
            audit.track(model)
        demo.register(load_demo)
        _register_importers()
        from hrtc.accounts import policy
        from hrtc.funds import access

        policy.register_app(access)  # its lines of the access policy


def _register_importers() -> None:
    from hrtc.core.importers import Importer, register

    def formats() -> tuple[str, ...]:
        from hrtc.funds.importing import FORMATS

        return FORMATS

    def rates(**kwargs):
        from hrtc.funds.importing import rates_import

        return rates_import(**kwargs)

    def contributions(**kwargs):
        from hrtc.funds.importing import contributions_import

        return contributions_import(**kwargs)

    register(
        Importer(kind="rates", help="Monthly UN operational rates of exchange", formats=formats, run=rates)
    )
    register(
        Importer(
            kind="contributions",
            help="Contributions received by the funds",
            formats=formats,
            run=contributions,
        )
    )
