"""A single spell saved outside the import (beheer, a correction) changes the analysis' data version; the import
writes set-wise without signals and is recognised by its ImportRun (``selectors.data_version``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from kansrijk.caseload.models import BenefitSpell

from .selectors import note_spell_edit


@receiver(post_save, sender=BenefitSpell, dispatch_uid="monitoring-spell-edit")
def spell_saved(sender, instance, **kwargs):
    note_spell_edit(instance.municipality_id)
