from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kansrijk.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.RecommendationDecision)
