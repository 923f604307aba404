"""Every model that holds data about a client, once: how it is reached from the client, what it is called in the
client's file (access request, art. 15) and what anonymising it means (retention).

One table for both uses, so that they cannot drift apart; ``tests/test_registry.py`` walks every model with a
foreign-key path to Client and fails until a new one is either listed here or in ``EXCLUDED`` with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Value
from django.db.models.functions import Cast, Concat

from kansrijk.audit.models import AccessLog
from kansrijk.caseload import models as caseload
from kansrijk.diagnosis import models as diagnosis
from kansrijk.inview import models as inview
from kansrijk.matching import models as matching
from kansrijk.monitoring.pilots import models as pilots
from kansrijk.trajectories import models as trajectories

from .models import AccessRequest

# What replaces a free text that has to keep a value (a required field): readable, and the same everywhere.
MARKER = "[geanonimiseerd]"
# An anonymised client's number: the marker and the internal id, unique per municipality as the constraint needs.
ANONYMOUS_NUMBER_PREFIX = "ANON-"


def anonymous_number(id_field: str):
    return Concat(Value(ANONYMOUS_NUMBER_PREFIX), Cast(F(id_field), output_field=caseload.Client._meta.get_field(
        "client_number")))


@dataclass(frozen=True)
class Spec:
    """``path``: the lookup from the model to the client (``client``, ``plan__client``). ``title``: the section in
    the client's file. ``hide``: fields the file leaves out, with the reason at the entry. ``anonymise``: the values an
    anonymised file gets (expressions allowed); ``delete_on_anonymise``: rows that go entirely (special categories).
    ``related``: extra select_related paths for what a row prints. ``date_field``: the record's date, for sorting and
    for ``starts_from=record_date``."""

    model: type
    path: str
    title: str
    date_field: str | None = None
    hide: frozenset = frozenset()
    anonymise: dict = field(default_factory=dict)
    delete_on_anonymise: bool = False
    related: tuple = ()


def _blank(*names) -> dict:
    return {name: "" for name in names}


def _marked(*names) -> dict:
    return {name: MARKER for name in names}


SPECS: tuple[Spec, ...] = (
    Spec(caseload.BenefitSpell, "client", "Uitkeringsperioden", "original_start",
         # Denormalised copies and import bookkeeping: not information about the client.
         hide=frozenset({"municipality", "last_import"}), related=("cause",)),
    Spec(caseload.ClientSpecialCategories, "client", "Bijzondere persoonsgegevens", delete_on_anonymise=True),
    Spec(caseload.ReturnToBenefit, "client", "Terugkeer in de uitkering", "new_spell_start",
         hide=frozenset({"detected_by_import"})),
    Spec(diagnosis.LadderMeasurement, "client", "Participatieladder (treden)", "measured_on",
         anonymise={"note": "", "override_reason": "", "answers": {}}, related=("step",)),
    Spec(diagnosis.ZrmMeasurement, "client", "Zelfredzaamheidsmatrix (ZRM)", "measured_on",
         anonymise=_blank("note")),
    Spec(diagnosis.ZrmScore, "measurement__client", "Scores per ZRM-domein"),
    Spec(diagnosis.Intake, "client", "Keukentafelgesprekken (leefgebieden)", "measured_on",
         anonymise=_blank("housing_note", "finances_note", "work_experience", "wishes", "talents",
                          "exemption_reason", "note")),
    Spec(diagnosis.IntakeSpecialCategories, "intake__client", "Gezondheid en verslaving bij het keukentafelgesprek",
         delete_on_anonymise=True),
    Spec(diagnosis.DistanceJudgement, "client", "Oordeel afstand tot de arbeidsmarkt", "judged_on",
         anonymise=_marked("reason")),
    Spec(inview.Contact, "client", "Contacten", "contacted_on",
         anonymise={**_marked("summary"), **_blank("follow_up", "with_whom")}),
    Spec(inview.ClientSegment, "client", "Klantgroepen", "placed_on",
         related=("segmentation", "segment__segmentation")),
    Spec(inview.CampaignInvitation, "client", "Uitnodigingen bij een doorlichting", "invited_on",
         related=("campaign",)),
    Spec(trajectories.Plan, "client", "Plan van aanpak (alle versies)", "created_at",
         anonymise=_blank("situation", "ambition", "agreement_note")),
    Spec(trajectories.PlanGoal, "plan__client", "Doelen in het plan van aanpak",
         anonymise={**_marked("description"), **_blank("target")}),
    Spec(trajectories.PlanAction, "plan__client", "Acties in het plan van aanpak", "due_on",
         anonymise={**_marked("description"), **_blank("owner_name")}),
    Spec(trajectories.PlanAgreement, "plan__client", "Afspraken in het plan van aanpak", anonymise=_marked("text")),
    Spec(trajectories.Referral, "client", "Verwijzingen en wat met de aanbieder is gedeeld", "referred_on",
         anonymise={**_marked("question"), **_blank("answer_note"), "shared": {}},
         related=("approach", "provider", "local_offer__approach", "local_offer__municipality")),
    Spec(trajectories.Trajectory, "client", "Trajecten", "accepted_on", related=("provider",)),
    Spec(trajectories.TrajectoryReport, "trajectory__client", "Rapportages van aanbieders", "reported_on",
         anonymise=_blank("text", "advice_reason")),
    Spec(trajectories.ReportGoalProgress, "report__trajectory__client", "Voortgang per doel in rapportages",
         anonymise=_blank("note")),
    Spec(trajectories.TrajectoryPause, "trajectory__client", "Onderbrekingen van trajecten", "starts_on",
         anonymise=_blank("note")),
    Spec(trajectories.AftercareTask, "client", "Nazorg", "due_on", anonymise=_blank("note")),
    Spec(matching.RecommendationDecision, "client", "Besluiten over aanbevolen aanpakken", "decided_at",
         anonymise={"reason": "", "explanation": {}}, related=("approach",)),
    Spec(matching.JobSeekerProfile, "client", "Werkzoekendenprofiel", "updated_at",
         anonymise=_blank("desired_occupations", "home_postcode", "summary")),
    Spec(matching.ProfileConsent, "client", "Toestemming om het profiel te delen met werkgevers",
         "manager_consented_at", anonymise=_blank("withdrawal_note")),
    Spec(matching.Placement, "client", "Plaatsingen bij werkgevers", "started_on", related=("employer", "vacancy"),
         # The reason it ended is typed by the client manager (it may be a health reason).
         anonymise=_blank("end_reason")),
    Spec(matching.MatchProposal, "client", "Voorstellen aan werkgevers", "created_at",
         anonymise={"reason": "", "explanation": {}, "history": []}, related=("vacancy", "vacancy__employer")),
    Spec(matching.CandidateInvitation, "client", "Selecties voor een aanpak", "decided_at",
         anonymise={"reason": "", "explanation": {}}, related=("selection",)),
    Spec(pilots.PilotParticipant, "client", "Deelname aan een pilotevaluatie", "accepted_on",
         # The comparison client is another person: never in this client's file.
         hide=frozenset({"matched_with"}), related=("pilot",)),
    # The two logs keep the client number through anonymisation and deletion of the file: they are accountability
    # records (who looked, which request was answered) with their own retention period (record type access_log).
    # The number is the client's own and already in the file's header.
    Spec(AccessRequest, "client", "Eerdere inzageverzoeken", "produced_at", hide=frozenset({"client_number"})),
    Spec(AccessLog, "client", "Wie heeft uw gegevens ingezien", "timestamp",
         # The municipality id is bookkeeping.
         hide=frozenset({"municipality_id", "client_number"})),
)

BY_MODEL = {spec.model: spec for spec in SPECS}

# Models with a foreign-key path to Client that the registry leaves out on purpose, with the reason.
EXCLUDED = {
    # The many-to-many table of a ladder measurement's sub-steps: printed with the measurement itself.
    diagnosis.LadderMeasurement.substeps.through: "De substappen staan bij de tredemeting zelf.",
}

# The client's own fields in the file's header; the rest (search key, import trace) is bookkeeping.
CLIENT_HIDE = frozenset({"id", "search_name", "last_import", "updated_at"})
CLIENT_ANONYMISE = {
    "given_names": "", "family_name": "", "bsn": "", "search_name": "", "dossier_number": "",
    "client_manager": None, "client_number": anonymous_number("id"),
}
