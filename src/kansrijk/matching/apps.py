from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kansrijk.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.RecommendationDecision)
        # Employers' and vacancies' changes, and every consent, proposal and placement: who changed what, when.
        for model in (models.Employer, models.EmployerContact, models.Vacancy, models.JobSeekerProfile,
                      models.ProfileConsent, models.MatchProposal, models.Placement):
            auditlog.register(model, exclude_fields=["updated_at"])
