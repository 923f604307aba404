"""The in-view API: a client's contacts (nested under the client), the worklist and review campaigns.

Contacts are personal data: every read writes an access record, and only the contacts the role may read are shown
(``selectors.contacts_visible_to``). The worklist writes one access record per client on the returned page.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.models import Team, User
from kansrijk.accounts.permissions import role_permission
from kansrijk.accounts.roles import Role
from kansrijk.audit.services import log_bulk_access_by_ids
from kansrijk.caseload.models import Client
from kansrijk.core.ids import parse_id
from kansrijk.diagnosis.api.viewsets import CLIENT_PARAMETER, ClientNestedViewSet, call

from .. import selectors, services
from ..models import Campaign, ClientSegment, Contact, Segment, Segmentation
from ..selectors import CampaignCriteria, Reason
from .serializers import (
    CampaignDetailSerializer,
    CampaignInputSerializer,
    CampaignSerializer,
    ClientSegmentInputSerializer,
    ClientSegmentSerializer,
    ContactInputSerializer,
    ContactSerializer,
    InvitedInputSerializer,
    InvitedSerializer,
    SegmentationSerializer,
    WorklistItemSerializer,
)

RecordsContacts = role_permission(roles.RECORDS_CONTACTS, "RecordsContacts")
HasWorklist = role_permission(roles.HAS_WORKLIST, "HasWorklist")
RunsCampaigns = role_permission(roles.RUNS_CAMPAIGNS, "RunsCampaigns")
MarksInvitations = role_permission(roles.HAS_WORKLIST | roles.RUNS_CAMPAIGNS, "MarksInvitations")
PlacesInSegments = role_permission(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS, "PlacesInSegments")
SeesSegmentations = role_permission(roles.SEES_TEAM_CLIENTS | roles.ADMINISTERS, "SeesSegmentations")

REASON_CODES = [value for name, value in vars(Reason).items() if name.isupper()]


@extend_schema_view(
    list=extend_schema(summary="Contacten met een cliënt die uw rol mag lezen (nieuwste eerst; legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een contact vastleggen (datum, kanaal, verslag, afgesproken vervolg, "
                                 "vertrouwelijkheid)", parameters=[CLIENT_PARAMETER], request=ContactInputSerializer,
                         responses={201: ContactSerializer}),
)
class ContactViewSet(ClientNestedViewSet):
    write_permission = RecordsContacts
    serializer_class = ContactSerializer
    input_serializer = ContactInputSerializer
    access_view = "api_contacten"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        client = self.get_client()
        return selectors.contacts_visible_to(self.request.user, client.contacts.all()).select_related("author")

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        contact = call(services.record_contact, client=client, by=request.user, **self.parse())
        return self.created(contact)


@extend_schema_view(
    list=extend_schema(summary="De klantgroepen van een cliënt, per indeling (legt een inzage vast)",
                       parameters=[CLIENT_PARAMETER]),
    create=extend_schema(summary="Een cliënt in een klantgroep plaatsen (vervangt de klantgroep in dezelfde indeling)",
                         parameters=[CLIENT_PARAMETER], request=ClientSegmentInputSerializer,
                         responses={201: ClientSegmentSerializer}),
)
class ClientSegmentViewSet(ClientNestedViewSet):
    write_permission = PlacesInSegments
    serializer_class = ClientSegmentSerializer
    input_serializer = ClientSegmentInputSerializer
    access_view = "api_klantgroep"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClientSegment.objects.none()
        return (ClientSegment.objects.filter(client=self.get_client())
                .select_related("segmentation", "segment", "placed_by").order_by("segmentation__name"))

    def create(self, request, *args, **kwargs):
        client = self.get_client()
        # Looked up within the client's municipality: another municipality's groups are not even confirmed to exist.
        segment = Segment.objects.select_related("segmentation").filter(
            pk=self.parse()["segment"], segmentation__municipality_id=client.municipality_id).first()
        if segment is None:
            raise ValidationError({"segment": ["Kies een klantgroep van de gemeente van deze cliënt."]})
        placed = call(services.place_in_segment, client=client, segment=segment, by=request.user)
        return self.created(ClientSegment.objects.select_related("segmentation", "segment", "placed_by")
                            .get(pk=placed.pk))


@extend_schema_view(list=extend_schema(summary="Indelingen in klantgroepen van de eigen gemeenten, met hun "
                                               "klantgroepen"))
class SegmentationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [SeesSegmentations]
    serializer_class = SegmentationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Segmentation.objects.none()
        return (Segmentation.objects.filter(municipality__in=self.request.user.municipalities.all())
                .select_related("municipality").prefetch_related("segments").order_by("municipality__name", "name"))


WORKLIST_PARAMETERS = [
    OpenApiParameter("team", OpenApiTypes.INT, description="Alleen dit team (teamleider)."),
    OpenApiParameter("client_manager", OpenApiTypes.INT, description="Alleen deze klantmanager (teamleider)."),
    OpenApiParameter("reason", OpenApiTypes.STR, enum=REASON_CODES, description="Alleen cliënten met deze reden."),
]


class WorklistView(GenericAPIView):
    """The user's worklist: every client that needs attention, most urgent first, each with the reasons in words.
    A team lead gets the team's worklists and may narrow them to one team or one client manager."""

    permission_classes = [HasWorklist]
    serializer_class = WorklistItemSerializer
    queryset = Client.objects.none()  # for the schema only; the items come from ``selectors.worklist``

    def _filters(self, request):
        params = request.query_params
        user = request.user
        errors = {}
        team_id = client_manager = None
        if (params.get("team") or params.get("client_manager")) and not user.has_role(roles.SEES_TEAM_WORKLISTS):
            raise PermissionDenied("Alleen een teamleider bekijkt de werklijst van een team of een andere "
                                   "klantmanager.")
        if params.get("team"):
            team_pk = parse_id(params["team"])
            team = Team.objects.filter(members=user, pk=team_pk).first() if team_pk is not None else None
            if team is None:
                errors["team"] = ["Kies een van uw eigen teams."]
            else:
                team_id = team.pk
        if params.get("client_manager"):
            value = parse_id(params["client_manager"])
            client_manager = (User.objects.filter(pk=value, role=Role.KLANTMANAGER, teams__members=user).distinct()
                              .first() if value is not None else None)
            if client_manager is None:
                errors["client_manager"] = ["Kies een klantmanager uit uw teams."]
        reason = params.get("reason", "")
        if reason and reason not in REASON_CODES:
            errors["reason"] = [f"Onbekende reden '{reason}'."]
        if errors:
            raise ValidationError(errors)
        return team_id, client_manager, reason

    @extend_schema(summary="Werklijst: wie heeft nu aandacht nodig, en waarom (legt per getoonde cliënt een inzage "
                           "vast)", parameters=WORKLIST_PARAMETERS, responses=WorklistItemSerializer(many=True))
    def get(self, request):
        team_id, client_manager, reason = self._filters(request)
        items = selectors.worklist(request.user, client_manager=client_manager, team_id=team_id)
        if reason:
            items = [item for item in items if any(r["code"] == reason for r in item.reasons)]
        page = self.paginate_queryset(items)
        ids = [item.client_id for item in page]
        if ids:
            log_bulk_access_by_ids(user=request.user, client_ids=ids, view="api_werklijst")
        managers = {u.pk: u for u in User.objects.filter(pk__in={item.client_manager_id for item in page})}
        data = WorklistItemSerializer(page, many=True, context={"request": request, "managers": managers}).data
        return self.get_paginated_response(data)


@extend_schema_view(
    list=extend_schema(summary="Doorlichtingen van de eigen gemeenten met de voortgang (teamleider)"),
    retrieve=extend_schema(summary="Eén doorlichting: voortgang in totaal en per klantmanager"),
    create=extend_schema(summary="Een doorlichting starten: cliënten selecteren en over de klantmanagers verdelen",
                         request=CampaignInputSerializer, responses={201: CampaignDetailSerializer}),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """Caseload review campaigns (*doorlichting*). Reached, seen and diagnosed are read from the contacts and
    measurements recorded since the start; only the invitation is marked by hand."""

    lookup_value_regex = "[0-9]{1,18}"  # digits that fit a 64-bit id; anything else is a 404 from the router

    def get_permissions(self):
        return [MarksInvitations() if self.action == "invited" else RunsCampaigns()]

    @extend_schema(summary="Een doorlichting afsluiten: open uitnodigingen verdwijnen van de werklijsten",
                   request=None, responses=CampaignDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = self.get_object()
        call(services.close_campaign, campaign=campaign, by=request.user)
        return self._detail(campaign)

    def get_serializer_class(self):
        return CampaignSerializer if self.action == "list" else CampaignDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        return selectors.campaigns_for(self.request.user).select_related("municipality")

    def list(self, request, *args, **kwargs):
        campaigns = selectors.campaigns_with_progress(request.user)
        page = self.paginate_queryset(campaigns)
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    def _detail(self, campaign, status_code=status.HTTP_200_OK):
        progress = selectors.campaign_progress(campaign, self.request.user)
        campaign.progress = progress["totals"]
        campaign.per_manager = progress["per_manager"]
        return Response(CampaignDetailSerializer(campaign).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        payload = CampaignInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        municipalities = request.user.municipalities.order_by("cbs_code")
        code = data.get("gemeente")
        municipality = municipalities.filter(cbs_code=code).first() if code else municipalities.first()
        if municipality is None:
            raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                                "U bent aan geen gemeente gekoppeld."]})
        # Team and client group are checked by the service, like everything else about the selection.
        team, segment = data.get("team"), data.get("segment")
        criteria = CampaignCriteria(municipality_id=municipality.pk, min_benefit_years=data.get("min_benefit_years"),
                                    no_contact_months=data.get("no_contact_months"), trede_max=data.get("trede_max"),
                                    team_id=team, without_diagnosis=data["without_diagnosis"], segment_id=segment)
        campaign = call(services.create_campaign, by=request.user, name=data["name"], criteria=criteria)
        return self._detail(self.get_queryset().get(pk=campaign.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Uitnodigingen als verstuurd markeren (teamleider: alle; klantmanager: de eigen)",
                   request=InvitedInputSerializer, responses=InvitedSerializer)
    @action(detail=True, methods=["post"])
    def invited(self, request, pk=None):
        campaign = self._campaign_for_marking(pk)
        payload = InvitedInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        invited_on = payload.validated_data["invited_on"]
        if invited_on is not None and invited_on > timezone.localdate():
            raise ValidationError({"invited_on": ["Een uitnodiging kan niet in de toekomst verstuurd zijn."]})
        marked = call(services.mark_invited, campaign=campaign, client_ids=payload.validated_data["client_ids"],
                      by=request.user, invited_on=invited_on)
        return Response({"marked": marked})

    def _campaign_for_marking(self, pk):
        # A client manager marks their own invitations, so the lookup is by municipality, not ``campaigns_for``'s
        # team lead view (the same rule as the web page).
        return get_object_or_404(Campaign.objects.filter(municipality__in=self.request.user.municipalities.all()),
                                 pk=int(pk))
