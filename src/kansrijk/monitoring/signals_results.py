"""In-place changes that the dashboard's data version (``results_selectors.data_version``) cannot see from the
highest ids: a trajectory ended, a client reassigned, a rhythm rule or a price changed, a placement moved. New
contacts and measurements are inserts and change the highest id instead, so recording one does not empty the cache.
One counter for all municipalities: these edits are rare next to the page views."""

from django.db.models.signals import post_delete, post_save

from kansrijk.accounts.models import Team
from kansrijk.caseload.models import Client
from kansrijk.catalogue.models import Approach, LocalOffer
from kansrijk.diagnosis.models import LadderMeasurement, ZrmMeasurement, ZrmScore
from kansrijk.inview.models import ClientSegment, ContactRhythmRule
from kansrijk.trajectories.models import Provider, Trajectory

from .results_selectors import VERSIONED, note_edit

WATCHED = (Trajectory, Client, ClientSegment, ContactRhythmRule, LocalOffer, Approach, Provider, Team,
           LadderMeasurement, ZrmMeasurement, ZrmScore)


def _edited(sender, instance, created=False, **kwargs):
    if not created or sender not in VERSIONED:
        note_edit()


def _deleted(sender, instance, **kwargs):
    note_edit()


for model in WATCHED:
    post_save.connect(_edited, sender=model, dispatch_uid=f"monitoring-results-edit-{model._meta.label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"monitoring-results-delete-{model._meta.label}")
