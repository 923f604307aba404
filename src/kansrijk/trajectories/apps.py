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
        # Providers and who works for them decide who reads referred clients' data: every change is logged.
        auditlog.register(models.Provider, m2m_fields={"municipalities"})
        auditlog.register(models.ProviderMember)
        # The steps of a referral and a trajectory (status, dates, codes). Free texts and the shared snapshot stay out
        # of the change log: they are personal data, kept once, in their own record.
        auditlog.register(models.Referral, exclude_fields=["shared", "question", "answer_note", "created_at"])
        auditlog.register(models.Trajectory)
        auditlog.register(models.TrajectoryPause, exclude_fields=["note"])
        auditlog.register(models.AftercareTask, exclude_fields=["note"])

        from kansrijk.caseload.signals import benefit_ended

        benefit_ended.connect(_aftercare_on_outflow, dispatch_uid="trajectories-aftercare-on-outflow")


def _aftercare_on_outflow(sender, outflow, **kwargs):
    """The import ended clients' last benefit spell: keep them in view (nazorg) for the agreed period."""
    from .services import schedule_aftercare

    schedule_aftercare(outflow)
