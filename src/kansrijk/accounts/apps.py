from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kansrijk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"], m2m_fields={"teams", "municipalities", "regions"})
        auditlog.register(models.Team)
        auditlog.register(models.Municipality)
        auditlog.register(models.RolePolicy)
        auditlog.register(models.Region, m2m_fields={"municipalities"})
