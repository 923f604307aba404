"""Serializers of the employer and vacancy API (issue 5). Input serializers only parse; the services validate."""

from rest_framework import serializers

from kansrijk.core.api import IdField
from kansrijk.diagnosis.models import Education, LanguageLevel

from ..models import (
    ConsentHow,
    Employer,
    EmployerContact,
    Instrument,
    JobSeekerProfile,
    MatchProposal,
    PhysicalDemand,
    Placement,
    PlacementKind,
    ProfileConsent,
    ProposalStatus,
    Sector,
    Vacancy,
    VacancyStatus,
)


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Soort factor: trede, uren, rijbewijs, taal, opleiding, beschikbaar, "
                                           "fysiek, banenafspraak, wens, sector, werkervaring, reizen, vervoer, "
                                           "instrumenten.")
    text = serializers.CharField(help_text="De factor in een zin die men aan de cliënt of werkgever kan vertellen.")
    points = serializers.IntegerField(help_text="Bijdrage aan de score (0 bij een harde factor of vraag).")


# The same set as a recommendation's status (settings.ENUM_NAME_OVERRIDES names it once for both).
MATCH_STATUSES = [("mogelijk", "mogelijk"), ("nu_niet", "nu niet")]


class MatchSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MATCH_STATUSES)
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField()
    reasons = FactorSerializer(many=True, help_text="Waarom het past.")
    unmet = FactorSerializer(many=True, help_text="Waarom het nu niet kan.")
    to_ask = FactorSerializer(many=True, help_text="Onbekende of te bespreken punten.")


class ClientVacancyMatchSerializer(MatchSerializer):
    vacancy = serializers.IntegerField(source="vacancy.vacancy_id")
    title = serializers.CharField(source="vacancy.title")
    employer = serializers.CharField(source="vacancy_obj.employer.name")


class CandidateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Anonieme kandidaatcode, per vacature verschillend.")
    client = serializers.SerializerMethodField(help_text="Id van de cliënt; leeg als u niet mag weten wie het is.")
    name = serializers.SerializerMethodField(help_text="Naam; leeg als u niet mag weten wie het is.")
    consented = serializers.BooleanField(help_text="Cliënt en klantmanager gaven toestemming om het profiel te "
                                                   "delen.")
    proposal_status = serializers.SerializerMethodField()
    match = MatchSerializer()

    def get_client(self, row) -> int | None:
        return row.client.pk if row.client else None

    def get_name(self, row) -> str:
        return row.client.display_name if row.client else ""

    def get_proposal_status(self, row) -> str:
        return row.proposal.status if row.proposal else ""


class EmployerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "name", "function", "email", "phone", "primary"]


class EmployerSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code", read_only=True)
    contacts = EmployerContactSerializer(many=True, read_only=True)
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, required=False)

    class Meta:
        model = Employer
        fields = ["id", "municipality", "name", "kvk_number", "sector", "postcode", "place", "address", "website",
                  "inclusive", "note", "active", "contacts", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class InstrumentsField(serializers.ListField):
    """Instrument codes; read from the vacancy's (prefetched) VacancyInstrument rows."""

    child = serializers.ChoiceField(choices=Instrument.choices)

    def to_representation(self, data):
        return [i.instrument for i in data.all()] if hasattr(data, "all") else list(data)


class VacancySerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    instruments = InstrumentsField(required=False, help_text="Instrumenten die de werkgever wil inzetten.")
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, required=False)
    education_min = serializers.ChoiceField(choices=Education.choices, allow_blank=True, required=False)
    dutch_min = serializers.ChoiceField(choices=LanguageLevel.choices, allow_blank=True, required=False)
    physical_demand = serializers.ChoiceField(choices=PhysicalDemand.choices, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=VacancyStatus.choices, read_only=True)

    class Meta:
        model = Vacancy
        fields = ["id", "employer", "employer_name", "title", "description", "occupation", "occupation_code",
                  "sector", "hours_min", "hours_max", "postcode", "place", "public_transport", "travel_note",
                  "education_min", "dutch_min", "physical_demand", "driving_licence_required", "requirements_note",
                  "places", "banenafspraak", "opens_on", "closes_on", "status", "instruments", "created_at"]
        read_only_fields = ["created_at"]
        # The services check hours and dates with Dutch messages; the model's check constraint is not repeated.
        validators = []


class VacancyStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VacancyStatus.choices)


class JobSeekerProfileSerializer(serializers.ModelSerializer):
    desired_sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), required=False)

    class Meta:
        model = JobSeekerProfile
        fields = ["desired_occupations", "desired_sectors", "home_postcode", "max_travel_minutes", "available_from",
                  "summary", "updated_at"]
        read_only_fields = ["updated_at"]


class ProfileConsentSerializer(serializers.ModelSerializer):
    manager_consented_by = serializers.StringRelatedField()
    withdrawn_by = serializers.StringRelatedField(allow_null=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = ProfileConsent
        fields = ["id", "client_consented_on", "client_consent_how", "manager_consented_by", "manager_consented_at",
                  "withdrawn_at", "withdrawn_by", "withdrawal_note", "active"]

    def get_active(self, consent) -> bool:
        return consent.withdrawn_at is None


class ConsentInputSerializer(serializers.Serializer):
    client_consented_on = serializers.DateField()
    client_consent_how = serializers.ChoiceField(choices=ConsentHow.choices)
    manager_agrees = serializers.BooleanField(help_text="Het akkoord van de klantmanager zelf; moet true zijn.")

    def validate_manager_agrees(self, value):
        if not value:
            raise serializers.ValidationError("Geef ook uw eigen akkoord als klantmanager.")
        return value


class ConsentWithdrawInputSerializer(serializers.Serializer):
    withdrawal_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PlacementSerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    created_by = serializers.StringRelatedField()

    class Meta:
        model = Placement
        fields = ["id", "employer", "employer_name", "vacancy", "kind", "started_on", "ended_on", "hours_per_week",
                  "loonwaarde_pct", "instruments", "end_reason", "created_by", "created_at"]


class PlacementInputSerializer(serializers.Serializer):
    employer = IdField()
    vacancy = IdField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=PlacementKind.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    hours_per_week = serializers.IntegerField(required=False, allow_null=True, default=None)
    instruments = serializers.ListField(child=serializers.ChoiceField(choices=Instrument.choices), required=False,
                                        default=list)
    loonwaarde_pct = serializers.IntegerField(required=False, allow_null=True, default=None,
                                              help_text="Verplicht bij loonkostensubsidie.")


class EndPlacementInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    end_reason = serializers.CharField(max_length=200)


class MatchProposalSerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField(help_text="Anonieme kandidaatcode op deze vacature.")
    client = serializers.SerializerMethodField(help_text="Id van de cliënt; leeg als u niet mag weten wie het is.")
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    created_by = serializers.StringRelatedField()
    updated_by = serializers.StringRelatedField()

    class Meta:
        model = MatchProposal
        fields = ["id", "vacancy", "code", "client", "status", "reason", "explanation", "history", "created_by",
                  "created_at", "updated_by", "updated_at"]

    def get_code(self, proposal) -> str:
        from ..employers.selectors import anonymous_code
        return anonymous_code(proposal.vacancy_id, proposal.client_id)

    def get_client(self, proposal) -> int | None:
        return proposal.client_id if proposal.client_id in self.context.get("named", ()) else None


# A new proposal starts as one of these (settings.ENUM_NAME_OVERRIDES names the set in the schema).
NEW_PROPOSAL_STATUSES = [(ProposalStatus.VOORGESTELD.value, ProposalStatus.VOORGESTELD.label),
                         (ProposalStatus.VOORGEDRAGEN.value, ProposalStatus.VOORGEDRAGEN.label)]


class ProposalInputSerializer(serializers.Serializer):
    vacancy = IdField()
    client = IdField(required=False, allow_null=True, default=None, help_text="Id van de cliënt, of:")
    code = serializers.CharField(required=False, allow_blank=True, default="", max_length=12,
                                 help_text="de anonieme kandidaatcode op de lijst van deze vacature.")
    status = serializers.ChoiceField(choices=NEW_PROPOSAL_STATUSES, default=ProposalStatus.VOORGESTELD)


class AdvanceInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class MatchingListVacancySerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(source="vacancy.pk")
    title = serializers.CharField(source="vacancy.title")
    employer = serializers.CharField(source="vacancy.employer.name")
    new = serializers.BooleanField(help_text="Geopend in deze week.")
    candidates = CandidateSerializer(many=True)


class MatchingListSerializer(serializers.Serializer):
    week = serializers.CharField(source="label")
    monday = serializers.DateField()
    sunday = serializers.DateField()
    vacancies = MatchingListVacancySerializer(many=True)
