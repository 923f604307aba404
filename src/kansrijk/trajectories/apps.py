from django.apps import AppConfig


class TrajectoriesConfig(AppConfig):
    name = "kansrijk.trajectories"
    label = "trajectories"
    verbose_name = "Plan van aanpak en trajecten"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Versions are never edited; the agreement is the one change to a saved plan, and it is logged.
        auditlog.register(models.Plan, include_fields=["agreed_on", "agreed_how", "agreement_note"])

        from kansrijk.caseload.signals import benefit_ended

        benefit_ended.connect(_aftercare_on_outflow, dispatch_uid="trajectories-aftercare-on-outflow")


def _aftercare_on_outflow(sender, outflow, **kwargs):
    """The import ended clients' last benefit spell: keep them in view (nazorg) for the agreed period."""
    from .services import schedule_aftercare

    schedule_aftercare(outflow)
