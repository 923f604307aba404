from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kansrijk.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import checks, models  # noqa: F401  (checks registers itself)

        # Who changed a retention period, and when: the period decides when data disappears.
        auditlog.register(models.RetentionRule)
        # The answered access request itself, beside its own record: the audit trail of the request.
        auditlog.register(models.AccessRequest)
