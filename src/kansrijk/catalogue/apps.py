from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "kansrijk.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Approach, exclude_fields=["search_document", "updated_at"], m2m_fields={"working_elements"})
        auditlog.register(models.LocalOffer, exclude_fields=["updated_at"])
        auditlog.register(models.WorkingElement)
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from .search import ensure_index

    ensure_index(connections[using])
