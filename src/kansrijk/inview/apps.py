from django.apps import AppConfig


class InViewConfig(AppConfig):
    name = "kansrijk.inview"
    label = "inview"
    verbose_name = "Klant in beeld"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.ContactRhythmRule)
        auditlog.register(models.Segmentation)
        auditlog.register(models.Segment)
        auditlog.register(models.ClientSegment)
        auditlog.register(models.CampaignInvitation)
