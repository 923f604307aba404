from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "kansrijk.diagnosis"
    label = "diagnosis"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.LadderStep)
