"""A client file with at least one record of every model in ``registry.SPECS``, each carrying recognisable text, so
the tests can see that the access request prints it and that anonymising removes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kansrijk.audit.services import log_access
from kansrijk.caseload.models import ClientSpecialCategories, ReturnToBenefit
from kansrijk.diagnosis.models import (
    DistanceJudgement,
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
    ZrmScore,
)
from kansrijk.inview.models import Campaign, CampaignInvitation, ClientSegment, Contact, Segment, Segmentation
from kansrijk.matching.models import (
    CandidateInvitation,
    CandidateSelection,
    Employer,
    JobSeekerProfile,
    MatchProposal,
    Placement,
    ProfileConsent,
    RecommendationDecision,
    Vacancy,
)
from kansrijk.monitoring.pilots.models import Pilot, PilotParticipant
from kansrijk.privacy.models import AccessRequest
from kansrijk.trajectories.models import (
    AftercareTask,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanGoal,
    ReportGoalProgress,
    TrajectoryPause,
    TrajectoryReport,
)
from kansrijk.trajectories.tests.factories import accepted, delivery

# Free texts that must show in the file and must be gone after anonymising.
SECRET_TEXTS = ("Notitie-tredemeting", "Wens-zorgwerk", "Gesprek-over-schulden", "Situatie-thuis", "Doel-bakker",
                "Actie-cv", "Afspraak-maandag", "Rapport-voortgang", "Knieklachten-intake", "Reden-afstand")


@dataclass
class Shared:
    setup: object
    approach: object
    employer: Employer
    vacancy: Vacancy
    segmentation: Segmentation
    segment: Segment
    campaign: Campaign
    selection: CandidateSelection
    pilot: Pilot


def shared(world) -> Shared:
    setup = delivery(world)
    km = world.users["klantmanager"]
    employer = Employer.objects.create(municipality=world.muni, name="Bakkerij De Korrel")
    vacancy = Vacancy.objects.create(municipality=world.muni, employer=employer, title="Bakkershulp")
    segmentation = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen")
    segment = Segment.objects.create(segmentation=segmentation, name="Direct werk")
    campaign = Campaign.objects.create(municipality=world.muni, name="Doorlichting 2026", created_by=km,
                                       started_on=date(2026, 1, 1))
    selection = CandidateSelection.objects.create(municipality=world.muni, approach=setup.approach, created_by=km)
    pilot = Pilot.objects.create(municipality=world.muni, approach=setup.approach, name="Pilot Werkfit",
                                 starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 1), created_by=km)
    return Shared(setup, setup.approach, employer, vacancy, segmentation, segment, campaign, selection, pilot)


def fill(world, client, common: Shared, *, on: date | None = None) -> None:
    """One record of every kind for ``client``, dated ``on`` (default: 100 days ago)."""
    on = on or date.today() - timedelta(days=100)
    km = world.users["klantmanager"]
    ClientSpecialCategories.objects.get_or_create(client=client, defaults={"health": "Rugklachten-dossier"})
    ReturnToBenefit.objects.create(client=client, new_spell_start=on, previous_end=on - timedelta(days=200),
                                   months_between=6, detected_on=on)
    step = LadderStep.objects.get(code="3", municipality=None)
    ladder = LadderMeasurement.objects.create(client=client, measured_on=on, measured_by=km, trede=3, step=step,
                                              note="Notitie-tredemeting", answers={"vraag": "antwoord"})
    ladder.substeps.add(step)
    zrm = ZrmMeasurement.objects.create(client=client, measured_on=on, measured_by=km, version="2017")
    ZrmScore.objects.create(measurement=zrm, domain="Financiën", level=3)
    intake = Intake.objects.create(client=client, measured_on=on, measured_by=km, wishes="Wens-zorgwerk",
                                   hours_per_week=24)
    IntakeSpecialCategories.objects.create(intake=intake, physical_health="Knieklachten-intake")
    DistanceJudgement.objects.create(client=client, distance="groot", reason="Reden-afstand", judged_by=km,
                                     judged_on=on)
    Contact.objects.create(client=client, contacted_on=on, channel="telefoon", author=km,
                           summary="Gesprek-over-schulden", with_whom="cliënt en partner")
    ClientSegment.objects.get_or_create(client=client, segmentation=common.segmentation, defaults={
        "segment": common.segment, "placed_by": km, "placed_on": on})
    CampaignInvitation.objects.get_or_create(campaign=common.campaign, client=client,
                                             defaults={"client_manager": km, "invited_on": on})
    plan = Plan.objects.create(client=client, version=Plan.objects.filter(client=client).count() + 1,
                               created_by=km, situation="Situatie-thuis")
    goal = PlanGoal.objects.create(plan=plan, position=1, description="Doel-bakker")
    PlanAction.objects.create(plan=plan, position=1, goal=goal, description="Actie-cv", owner="client", due_on=on)
    PlanAgreement.objects.create(plan=plan, position=1, text="Afspraak-maandag")
    trajectory = accepted(world, common.setup, client=client)
    report = TrajectoryReport.objects.create(trajectory=trajectory, kind="voortgang", reported_on=on,
                                             author=world.users["aanbieder"], text="Rapport-voortgang")
    ReportGoalProgress.objects.create(report=report, goal=goal, status="op_koers")
    TrajectoryPause.objects.create(trajectory=trajectory, starts_on=on, until=on + timedelta(days=5),
                                   reason="ziekte", recorded_by=km)
    AftercareTask.objects.create(client=client, outflow_on=on, due_on=on + timedelta(days=30), months_after=1)
    RecommendationDecision.objects.create(
        client=client, approach=common.approach, decision="gekozen", decided_by=km,
        explanation={"name": "Werkfit", "reasons": [{"code": "trede", "text": "Past bij trede 3.", "points": 2}]})
    JobSeekerProfile.objects.get_or_create(client=client, defaults={"desired_occupations": "Bakker",
                                                                    "home_postcode": "1234AB"})
    ProfileConsent.objects.create(client=client, client_consented_on=on, client_consent_how="mondeling",
                                  manager_consented_by=km)
    Placement.objects.create(client=client, employer=common.employer, kind="proefplaatsing", started_on=on,
                             created_by=km)
    MatchProposal.objects.get_or_create(client=client, vacancy=common.vacancy, defaults={
        "status": "voorgedragen", "created_by": km, "updated_by": km})
    CandidateInvitation.objects.get_or_create(selection=common.selection, client=client)
    PilotParticipant.objects.get_or_create(pilot=common.pilot, client=client, defaults={"accepted_on": on})
    AccessRequest.objects.create(client=client, client_number=client.client_number, reference="Z-2026-1",
                                 received_on=on, format="pdf", produced_by=world.users["beheerder"])
    log_access(user=world.users["teamleider"], client=client, view="clientpagina")
