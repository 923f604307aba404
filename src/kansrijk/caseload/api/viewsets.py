from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kansrijk.accounts import roles
from kansrijk.accounts.models import Team, User
from kansrijk.accounts.permissions import role_permission
from kansrijk.audit.services import log_access, log_bulk_access
from kansrijk.core.api import PROBLEM_MEDIA_TYPE
from kansrijk.core.ids import parse_id

from .. import selectors, services
from ..models import CauseCode, Client, ImportRun
from .serializers import (
    AssignmentSerializer,
    CauseCodeSerializer,
    ClientDetailSerializer,
    ClientListSerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    ImportRunSerializer,
)

SeesTeamClients = role_permission(roles.SEES_TEAM_CLIENTS, "SeesTeamClients")
Administers = role_permission(roles.ADMINISTERS, "Administers")

LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Zoek op naam, cliëntnummer of BSN."),
    OpenApiParameter("team", OpenApiTypes.INT),
    OpenApiParameter("client_manager", OpenApiTypes.INT),
    OpenApiParameter("duration", OpenApiTypes.STR, enum=[c for c, *_ in selectors.DURATION_CLASSES]),
    OpenApiParameter("age_class", OpenApiTypes.STR, enum=[c for c, *_ in selectors.AGE_CLASSES]),
    OpenApiParameter("household", OpenApiTypes.STR),
    OpenApiParameter("zonder_team", OpenApiTypes.BOOL, description="Alleen cliënten die nog geen team hebben."),
]


def filters_from(params) -> selectors.CaseloadFilters:
    def as_int(name):
        return parse_id(params.get(name, ""))

    return selectors.CaseloadFilters(
        q=params.get("q", ""), team=as_int("team"), client_manager=as_int("client_manager"),
        duration=params.get("duration", ""), age_class=params.get("age_class", ""),
        household=params.get("household", ""), unassigned=params.get("zonder_team") in ("1", "true", "on"))


@extend_schema_view(
    list=extend_schema(summary="Cliënten in de eigen caseload zoeken en filteren", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(summary="Een cliënt met uitkeringsperioden (legt een inzage vast)"),
)
class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    """The caseload register, scoped exactly as the web interface: own municipalities and teams only."""

    permission_classes = [SeesTeamClients]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Client.objects.none()
        if self.action == "list":
            return selectors.caseload_list(user=self.request.user, filters=filters_from(self.request.query_params))
        return selectors.clients_for(self.request.user).select_related("team", "client_manager", "municipality")

    def get_serializer_class(self):
        return ClientListSerializer if self.action == "list" else ClientDetailSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = self.paginator.page.object_list if getattr(self.paginator, "page", None) else []
        # A search is a lookup of a person: record whom it showed (Suwinet's "controle op opvraaggedrag"). Browsing
        # the scope's list is recorded too (see caseload.views.client_list).
        log_bulk_access(user=request.user, clients=page, view="api_zoeken" if request.query_params.get("q")
                        else "api_lijst")
        return response

    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        log_access(user=request.user, client=client, view="api_detail")
        return Response(self.get_serializer(client).data)

    @extend_schema(summary="Cliënt toewijzen aan team en klantmanager (teamleider)", request=AssignmentSerializer,
                   responses=ClientListSerializer)
    @action(detail=True, methods=["post"], permission_classes=[role_permission(roles.ASSIGNS_CLIENTS, "Assigns")])
    def assign(self, request, pk=None):
        client = self.get_object()
        payload = AssignmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        team = client_manager = None
        if payload.validated_data["team"] is not None:
            team = get_object_or_404(Team.objects.filter(members=request.user), pk=payload.validated_data["team"])
        if payload.validated_data.get("client_manager"):
            client_manager = get_object_or_404(User, pk=payload.validated_data["client_manager"])
        try:
            services.assign_client(client=client, team=team, client_manager=client_manager, by=request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(ClientListSerializer(client, context={"request": request}).data)


@extend_schema_view(list=extend_schema(summary="Codelijst oorzaak bijstandsafhankelijkheid"),
                    retrieve=extend_schema(summary="Eén code oorzaak bijstandsafhankelijkheid"))
class CauseCodeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CauseCode.objects.all()
    serializer_class = CauseCodeSerializer
    lookup_field = "code"
    pagination_class = None


@extend_schema_view(list=extend_schema(summary="Eerdere imports"), retrieve=extend_schema(summary="Eén import"))
class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import the benefit system's caseload export, as the web upload and ``kansrijk import_caseload`` do."""

    permission_classes = [Administers]
    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportRun.objects.none()
        return ImportRun.objects.filter(municipality__in=self.request.user.municipalities.all()).select_related(
            "municipality", "uploaded_by")

    @extend_schema(summary="Een export importeren (atomair; of met skip_invalid / dry_run)",
                   request={"multipart/form-data": ImportRequestSerializer},
                   responses={201: ImportResultSerializer, 200: ImportResultSerializer,
                              (422, PROBLEM_MEDIA_TYPE): ImportResultSerializer})
    def create(self, request):
        payload = ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        code = payload.validated_data.get("gemeente") or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = request.user.municipalities.filter(cbs_code=code).first()
        if municipality is None:
            raise ValidationError({"gemeente": [f"U beheert gemeente {code} niet."]})
        upload = payload.validated_data["file"]
        if upload.size > settings.KANSRIJK_MAX_UPLOAD_BYTES:
            raise ValidationError({"file": ["Het bestand is te groot."]})
        result = services.import_caseload(
            data=upload.read(), municipality=municipality, filename=upload.name, user=request.user, source="api",
            skip_invalid=payload.validated_data["skip_invalid"], dry_run=payload.validated_data["dry_run"])
        body = {
            "status": result.status,
            "summary": result.summary,
            "errors": [e.as_dict() for e in result.errors[:1000]],
            "run": ImportRunSerializer(result.run).data if result.run else None,
        }
        if result.status == ImportRun.Status.REJECTED:
            return Response({"type": "https://kansrijk.readthedocs.io/problems/import-rejected",
                             "code": "import-rejected", "title": "Import afgewezen", "status": 422,
                             "detail": f"{len(result.errors)} fout(en) gevonden; er is niets geïmporteerd.",
                             **body}, status=422, content_type="application/problem+json")
        return Response(body, status=status.HTTP_200_OK if result.run is None else status.HTTP_201_CREATED)
