"""The employer and vacancy API (issue 5): employers with contacts, vacancies with their candidates, proposals, the
weekly matching list, and under the client (``/api/v1/clients/{client_pk}/…``) the matching vacancies, the job-seeker
profile, the consent and the placements. Services check role and scope; their errors become problem details.
Candidates are anonymous unless the user may know who they are (``employers.selectors``); named ones are logged."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access, log_bulk_access
from kansrijk.core.api import SingleObjectSchema
from kansrijk.core.ids import parse_id
from kansrijk.diagnosis.api.viewsets import CLIENT_PARAMETER, ClientNestedViewSet, call

from ..employers import selectors, services
from ..models import Employer, JobSeekerProfile, MatchProposal, Placement, ProfileConsent, Vacancy
from .employer_serializers import (
    AdvanceInputSerializer,
    CandidateSerializer,
    ClientVacancyMatchSerializer,
    ConsentInputSerializer,
    ConsentWithdrawInputSerializer,
    EmployerContactSerializer,
    EmployerSerializer,
    EndPlacementInputSerializer,
    JobSeekerProfileSerializer,
    MatchingListSerializer,
    MatchProposalSerializer,
    PlacementInputSerializer,
    PlacementSerializer,
    ProfileConsentSerializer,
    ProposalInputSerializer,
    VacancySerializer,
    VacancyStatusInputSerializer,
)

SeesEmployers = role_permission(roles.SEES_EMPLOYERS, "SeesEmployers")
ManagesEmployers = role_permission(roles.MANAGES_EMPLOYERS, "ManagesEmployers")
MatchesVacancies = role_permission(roles.MATCHES_VACANCIES, "MatchesVacancies")
ProposesCandidates = role_permission(roles.PROPOSES_CANDIDATES, "ProposesCandidates")
SeesJobSeeker = role_permission(roles.SEES_EMPLOYERS & roles.SEES_TEAM_CLIENTS, "SeesJobSeeker")
MakesJobProfiles = role_permission(roles.MAKES_JOB_PROFILES, "MakesJobProfiles")
RecordsConsent = role_permission(roles.RECORDS_CONSENT, "RecordsConsent")
PlacesClients = role_permission(roles.PLACES_CLIENTS, "PlacesClients")
MatchesOwnClients = role_permission(roles.MATCHES_VACANCIES & roles.SEES_TEAM_CLIENTS, "MatchesOwnClients")

ID = "[0-9]{1,18}"


def _parse(serializer_class, data):
    payload = serializer_class(data=data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


@extend_schema_view(
    list=extend_schema(summary="Werkgevers in uw gemeenten (filter: sector, place, active, q)", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Zoek op naam of KvK-nummer.")]),
    retrieve=extend_schema(summary="Eén werkgever met contactpersonen"),
    create=extend_schema(summary="Een werkgever toevoegen"),
    update=extend_schema(summary="Een werkgever wijzigen"),
    partial_update=extend_schema(summary="Een werkgever gedeeltelijk wijzigen"),
)
class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Employers are organisations: reading them leaves no access record."""

    serializer_class = EmployerSerializer
    filterset_fields = ["sector", "place", "active"]
    lookup_value_regex = ID

    def get_permissions(self):
        return [SeesEmployers() if self.request.method in ("GET", "HEAD", "OPTIONS") else ManagesEmployers()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Employer.objects.none()
        qs = selectors.employers_visible_to(self.request.user).select_related("municipality").prefetch_related(
            "contacts").order_by("name", "id")
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(kvk_number=q))
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = call(services.save_employer, by=self.request.user, data=data)

    def perform_update(self, serializer):
        data = {f: getattr(serializer.instance, f) for f in services.EMPLOYER_FIELDS if f != "account_manager"}
        data.update(serializer.validated_data)
        serializer.instance = call(services.save_employer, by=self.request.user, data=data,
                                   employer=serializer.instance)

    @extend_schema(methods=["GET"], summary="Contactpersonen van de werkgever",
                   responses=EmployerContactSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Een contactpersoon van de werkgever toevoegen",
                   request=EmployerContactSerializer, responses={201: EmployerContactSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=EmployerContactSerializer, pagination_class=None)
    def contacts(self, request, *args, **kwargs):
        employer = self.get_object()
        if request.method == "POST":
            data = _parse(EmployerContactSerializer, request.data)
            contact = call(services.save_contact, by=request.user, employer=employer, data=data)
            return Response(EmployerContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        return Response(EmployerContactSerializer(employer.contacts.all(), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Vacatures in uw gemeenten, nieuwste eerst (filter: status, sector, place, employer, q)",
                       parameters=[OpenApiParameter("q", OpenApiTypes.STR,
                                                    description="Zoek op functie, beroep of werkgever.")]),
    retrieve=extend_schema(summary="Eén vacature met eisen en instrumenten"),
    create=extend_schema(summary="Een vacature toevoegen (uren min ≤ max, sluitingsdatum ≥ openingsdatum)"),
    update=extend_schema(summary="Een vacature wijzigen"),
    partial_update=extend_schema(summary="Een vacature gedeeltelijk wijzigen"),
)
class VacancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = VacancySerializer
    filterset_fields = ["status", "sector", "place", "employer"]
    lookup_value_regex = ID

    def get_permissions(self):
        if self.action == "candidates":
            return [MatchesVacancies()]
        return [SeesEmployers() if self.request.method in ("GET", "HEAD", "OPTIONS") else ManagesEmployers()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vacancy.objects.none()
        qs = selectors.with_instruments(selectors.vacancies_visible_to(self.request.user).select_related("employer"))
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(occupation__icontains=q) | Q(employer__name__icontains=q))
        return qs.order_by("-opens_on", "-id")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return serializer
        if hasattr(serializer, "fields") and "employer" in serializer.fields:
            serializer.fields["employer"].queryset = selectors.employers_visible_to(self.request.user)
        return serializer

    def _save(self, serializer, vacancy=None):
        data = dict(serializer.validated_data)
        instruments = data.pop("instruments", None)
        if instruments is None:
            instruments = [i.instrument for i in vacancy.instruments.all()] if vacancy else []
        if vacancy is not None:
            merged = {f: getattr(vacancy, f) for f in services.VACANCY_FIELDS}
            merged.update(data)
            data = merged
        saved = call(services.save_vacancy, by=self.request.user, data=data, instruments=list(instruments),
                     vacancy=vacancy)
        serializer.instance = selectors.with_instruments(Vacancy.objects.select_related("employer")).get(pk=saved.pk)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(summary="De status zetten: vervuld, ingetrokken of weer open", request=VacancyStatusInputSerializer,
                   responses=VacancySerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        vacancy = self.get_object()
        data = _parse(VacancyStatusInputSerializer, request.data)
        call(services.set_vacancy_status, by=request.user, vacancy=vacancy, status=data["status"])
        return Response(VacancySerializer(vacancy).data)

    @extend_schema(summary="De beste kandidaten uit de gemeente met hun factoren; anoniem tenzij u mag weten wie "
                           "het is (legt dan een inzage vast)", responses=CandidateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request, *args, **kwargs):
        vacancy = self.get_object()
        rows = call(selectors.candidates_for_vacancy, request.user, vacancy, view="api_kandidaten_vacature")
        return Response(CandidateSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Voorstellen van kandidaten voor vacatures (filter: vacancy, status)"),
    create=extend_schema(summary="Een kandidaat voorstellen (voorgesteld) of voordragen aan de werkgever "
                                 "(voorgedragen: alleen met toestemming)", request=ProposalInputSerializer,
                         responses={201: MatchProposalSerializer}),
)
class MatchProposalViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = MatchProposalSerializer
    filterset_fields = ["vacancy", "status"]
    lookup_value_regex = ID

    def get_permissions(self):
        return [MatchesVacancies() if self.request.method in ("GET", "HEAD", "OPTIONS") else ProposesCandidates()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MatchProposal.objects.none()
        return MatchProposal.objects.filter(vacancy__in=selectors.vacancies_visible_to(self.request.user)) \
            .select_related("client", "created_by", "updated_by").order_by("-updated_at", "-id")

    def _named(self, proposals) -> set[int]:
        named = selectors.nameable_ids(self.request.user, [p.client for p in proposals])
        log_bulk_access(user=self.request.user, clients=[p.client for p in proposals if p.client_id in named],
                        view="api_voorstellen")
        return named

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = MatchProposalSerializer(page, many=True, context={"named": self._named(page)})
        return self.get_paginated_response(serializer.data)

    def create(self, request, *args, **kwargs):
        data = _parse(ProposalInputSerializer, request.data)
        vacancy = selectors.vacancy_detail(user=request.user, pk=data["vacancy"])
        if vacancy is None:
            raise ValidationError({"vacancy": ["Deze vacature bestaat niet of valt buiten uw gemeenten."]})
        client = call(selectors.proposable_client, request.user, vacancy, client_id=data["client"],
                      code=data["code"])
        if client is None:
            raise ValidationError({"client": ["Kies een kandidaat: een cliënt-id of een kandidaatcode van de lijst."]})
        proposal = call(services.propose, by=request.user, vacancy=vacancy, client=client, status=data["status"])
        return Response(MatchProposalSerializer(proposal, context={"named": self._named([proposal])}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Een voorstel een stap verder zetten (voordragen, gesprek, aangenomen, afgewezen met "
                           "reden)", request=AdvanceInputSerializer, responses=MatchProposalSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, *args, **kwargs):
        proposal = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data = _parse(AdvanceInputSerializer, request.data)
        call(services.advance_proposal, by=request.user, proposal=proposal, status=data["status"],
             reason=data["reason"])
        return Response(MatchProposalSerializer(proposal, context={"named": self._named([proposal])}).data)


class MatchingListView(APIView):
    """The weekly matching list (Steenwijkerland model)."""

    permission_classes = [MatchesVacancies]

    @extend_schema(summary="De matchlijst van een week: open vacatures (nieuwe eerst) met de best passende "
                           "werkzoekenden; anoniem tenzij u mag weten wie het is",
                   parameters=[OpenApiParameter("week", OpenApiTypes.STR, description="ISO-week, bijvoorbeeld "
                                                                                      "2026-W07; leeg is deze week."),
                               OpenApiParameter("gemeente", OpenApiTypes.INT, description="Id van de gemeente; "
                                                                                          "leeg is uw eerste.")],
                   responses=MatchingListSerializer)
    def get(self, request):
        week = selectors.parse_week(request.query_params.get("week"))
        if week is None:
            raise ValidationError({"week": ["Kies een week als 2026-W07 (jaar, W, weeknummer)."]})
        municipalities = selectors.municipality_ids(request.user)
        raw = request.query_params.get("gemeente")
        municipality = parse_id(raw) if raw else (municipalities[0] if municipalities else None)
        if municipality not in municipalities:
            raise NotFound("Deze gemeente bestaat niet of hoort niet bij u.")
        result = selectors.matching_list(request.user, municipality, *week, view="api_matchlijst")
        return Response(MatchingListSerializer(result).data)


# --- Under the client -----------------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Open vacatures voor de cliënt, eerst de mogelijke op volgorde, elk "
                                               "met de factoren (legt een inzage vast)",
                                       parameters=[CLIENT_PARAMETER], responses=ClientVacancyMatchSerializer(many=True)))
class ClientVacancyViewSet(ClientNestedViewSet):
    http_method_names = ["get", "head", "options"]
    read_permission = MatchesOwnClients
    serializer_class = ClientVacancyMatchSerializer
    pagination_class = None
    access_view = "api_vacatures_client"

    def get_queryset(self):
        return Vacancy.objects.none()  # computed, not stored

    def list(self, request, *args, **kwargs):
        client = self.get_client()
        matches = call(selectors.vacancies_for_client, request.user, client)
        log_access(user=request.user, client=client, view=self.access_view)
        return Response(ClientVacancyMatchSerializer(matches, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Het werkzoekendenprofiel van de cliënt (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER], responses=JobSeekerProfileSerializer,
                       operation_id="clients_job_seeker_profile_list"),
    create=extend_schema(summary="Het werkzoekendenprofiel opslaan (vervangt het vorige)", parameters=[CLIENT_PARAMETER],
                         request=JobSeekerProfileSerializer, responses={201: JobSeekerProfileSerializer}),
)
class JobSeekerProfileViewSet(ClientNestedViewSet):
    schema = SingleObjectSchema()
    read_permission = SeesJobSeeker
    write_permission = MakesJobProfiles
    serializer_class = JobSeekerProfileSerializer
    input_serializer = JobSeekerProfileSerializer
    pagination_class = None
    access_view = "api_werkzoekendenprofiel"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JobSeekerProfile.objects.none()
        return JobSeekerProfile.objects.filter(client=self.get_client())

    def list(self, request, *args, **kwargs):
        client = self.get_client()
        profile = selectors.job_seeker_profile(client)
        log_access(user=request.user, client=client, view=self.access_view)
        if profile is None:
            raise NotFound("Deze cliënt heeft nog geen werkzoekendenprofiel.")
        return Response(JobSeekerProfileSerializer(profile).data)

    def create(self, request, *args, **kwargs):
        profile = call(services.save_profile, by=request.user, client=self.get_client(), data=self.parse())
        return self.created(profile)


@extend_schema_view(
    list=extend_schema(summary="Toestemmingen om het profiel met werkgevers te delen, nieuwste eerst (legt een "
                               "inzage vast)", parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Toestemming van de cliënt (datum, hoe) en het akkoord van de klantmanager "
                                 "vastleggen", parameters=[CLIENT_PARAMETER], request=ConsentInputSerializer,
                         responses={201: ProfileConsentSerializer}),
)
class ProfileConsentViewSet(ClientNestedViewSet):
    read_permission = SeesJobSeeker
    write_permission = RecordsConsent
    serializer_class = ProfileConsentSerializer
    input_serializer = ConsentInputSerializer
    access_view = "api_toestemming"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProfileConsent.objects.none()
        return selectors.consent_history(self.get_client())

    def create(self, request, *args, **kwargs):
        data = self.parse()
        consent = call(services.record_consent, by=request.user, client=self.get_client(),
                       consented_on=data["client_consented_on"], how=data["client_consent_how"])
        return self.created(consent)

    @extend_schema(summary="De toestemming intrekken (blijft in de geschiedenis)", parameters=[CLIENT_PARAMETER],
                   request=ConsentWithdrawInputSerializer, responses=ProfileConsentSerializer)
    @action(detail=False, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        data = _parse(ConsentWithdrawInputSerializer, request.data)
        consent = call(services.withdraw_consent, by=request.user, client=self.get_client(),
                       note=data["withdrawal_note"])
        log_access(user=request.user, client=self.get_client(), view=self.access_view)
        return Response(ProfileConsentSerializer(consent).data)


@extend_schema_view(
    list=extend_schema(summary="Plaatsingen van de cliënt bij werkgevers (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een plaatsing vastleggen (loonwaarde verplicht bij loonkostensubsidie)",
                         parameters=[CLIENT_PARAMETER], request=PlacementInputSerializer,
                         responses={201: PlacementSerializer}),
)
class PlacementViewSet(ClientNestedViewSet):
    read_permission = SeesJobSeeker
    write_permission = PlacesClients
    serializer_class = PlacementSerializer
    input_serializer = PlacementInputSerializer
    access_view = "api_plaatsingen"
    lookup_value_regex = ID

    def get_permissions(self):
        if self.action == "end":
            return [PlacesClients()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Placement.objects.none()
        return selectors.placements_of_client(self.get_client())

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        data = dict(self.parse())
        employer = selectors.employers_visible_to(request.user).filter(pk=data.pop("employer")).first()
        if employer is None:
            raise ValidationError({"employer": ["Deze werkgever bestaat niet of valt buiten uw gemeenten."]})
        vacancy_id = data.pop("vacancy")
        vacancy = Vacancy.objects.filter(pk=vacancy_id, municipality_id=client.municipality_id).first() \
            if vacancy_id else None
        if vacancy_id and vacancy is None:
            raise ValidationError({"vacancy": ["Deze vacature bestaat niet in de gemeente van de cliënt."]})
        placement = call(services.record_placement, by=request.user, client=client, employer=employer,
                         vacancy=vacancy, **data)
        return self.created(selectors.placements_of_client(client).get(pk=placement.pk))

    @extend_schema(summary="Een plaatsing beëindigen met datum en reden", parameters=[CLIENT_PARAMETER],
                   request=EndPlacementInputSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        placement = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data = _parse(EndPlacementInputSerializer, request.data)
        call(services.end_placement, by=request.user, placement=placement, ended_on=data["ended_on"],
             reason=data["end_reason"])
        log_access(user=request.user, client=self.get_client(), view=self.access_view)
        return Response(PlacementSerializer(placement).data)

