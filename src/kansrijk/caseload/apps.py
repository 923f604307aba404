from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "kansrijk.caseload"
    label = "caseload"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Client, exclude_fields=["search_name", "updated_at", "last_import"])
        auditlog.register(models.BenefitSpell, exclude_fields=["updated_at", "last_import"])
        auditlog.register(models.ClientSpecialCategories)
        auditlog.register(models.CauseCode)
