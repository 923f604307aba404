from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.core.api import PROBLEM_MEDIA_TYPE
from kansrijk.diagnosis.api.viewsets import call

from .. import exchange, selectors, services
from .. import vocabulary as v
from ..content import parse_number
from ..models import Approach, LocalOffer, WorkingElement
from .serializers import (
    ApproachDetailSerializer,
    ApproachListSerializer,
    ApproachWriteSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    CatalogueImportSerializer,
    LoadSummarySerializer,
    LocalOfferInputSerializer,
    LocalOfferSerializer,
    RetireSerializer,
    WhatWorksSerializer,
    WorkingElementSerializer,
)

SeesCatalogue = role_permission(roles.SEES_CATALOGUE, "SeesCatalogue")
ManagesCatalogue = role_permission(roles.MANAGES_CATALOGUE, "ManagesCatalogue")
AssessesApproaches = role_permission(roles.ASSESSES_APPROACHES, "AssessesApproaches")
ExportsCatalogue = role_permission(roles.EXPORTS_CATALOGUE, "ExportsCatalogue")

LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Zoeken in de Nederlandse tekst (woordstammen; het laatste woord "
                                                        "ook als begin van een woord)."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=v.Kind.values),
    OpenApiParameter("goal", OpenApiTypes.STR, enum=v.Goal.values),
    OpenApiParameter("approach_type", OpenApiTypes.STR, enum=v.ApproachType.values, many=True),
    OpenApiParameter("target_group", OpenApiTypes.STR, enum=v.TargetGroup.values, many=True),
    OpenApiParameter("phase", OpenApiTypes.STR, enum=v.Phase.values, many=True),
    OpenApiParameter("ladder_step", OpenApiTypes.STR, enum=list(v.LADDER_STEPS), many=True),
    OpenApiParameter("regime", OpenApiTypes.STR, enum=v.Regime.values, many=True),
    OpenApiParameter("effect_level_min", OpenApiTypes.INT, enum=[1, 2, 3, 4]),
    OpenApiParameter("region", OpenApiTypes.STR, description="Regio of gemeente (deel van de naam)."),
    OpenApiParameter("max_cost", OpenApiTypes.NUMBER, description="Maximale kosten per deelnemer in euro."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=v.Status.values),
    OpenApiParameter("offered_locally", OpenApiTypes.BOOL, description="Alleen (niet) lokaal aangeboden aanpakken."),
    OpenApiParameter("include_retired", OpenApiTypes.BOOL, description="Ook aanpakken die uit de catalogus zijn gehaald."),
]
TRUE = ("1", "true", "ja", "on")


def filters_from(params) -> selectors.CatalogueFilters:
    """Query parameters → filters; every unknown value is reported at once as a problem detail."""
    errors = {}

    def one_of(name, allowed):
        value = params.get(name, "")
        if value and value not in allowed:
            errors[name] = [f"Onbekende waarde '{value}'."]
            return ""
        return value

    def many_of(name, allowed):
        values = params.getlist(name)
        unknown = [value for value in values if value not in allowed]
        if unknown:
            errors[name] = [f"Onbekende waarde '{value}'." for value in unknown]
        return [value for value in values if value in allowed]

    effect = params.get("effect_level_min", "")
    if effect and effect not in ("1", "2", "3", "4"):
        errors["effect_level_min"] = ["Kies 1, 2, 3 of 4."]
        effect = ""
    max_cost = parse_number(params.get("max_cost", "")) if params.get("max_cost") else None
    if params.get("max_cost") and (max_cost is None or max_cost < 0):
        errors["max_cost"] = ["Geef een bedrag in euro."]
    offered = params.get("offered_locally", "")
    filters = selectors.CatalogueFilters(
        q=params.get("q", "")[:200],
        kind=one_of("kind", v.Kind.values),
        goal=one_of("goal", v.Goal.values),
        approach_types=many_of("approach_type", v.ApproachType.values),
        target_groups=many_of("target_group", v.TargetGroup.values),
        phases=many_of("phase", v.Phase.values),
        ladder_steps=many_of("ladder_step", v.LADDER_STEPS),
        regimes=many_of("regime", v.Regime.values),
        effect_level_min=int(effect) if effect else None,
        region=params.get("region", "")[:100],
        max_cost=max_cost,
        status=one_of("status", v.Status.values),
        offered_locally=(offered.lower() in TRUE) if offered else None,
        include_retired=params.get("include_retired", "").lower() in TRUE,
    )
    if errors:
        raise ValidationError(errors)
    return filters


def _municipality(user, code=None):
    municipalities = user.municipalities.order_by("cbs_code")
    municipality = municipalities.filter(cbs_code=code).first() if code else municipalities.first()
    if municipality is None:
        raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                            "U bent aan geen gemeente gekoppeld."]})
    return municipality


@extend_schema_view(
    list=extend_schema(summary="De catalogus doorzoeken en filteren", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(summary="Eén aanpak met alle gegevens en hun bronnen"),
    create=extend_schema(summary="Een eigen (lokale) aanpak toevoegen", request=ApproachWriteSerializer,
                         responses={201: ApproachDetailSerializer}),
    update=extend_schema(summary="Een eigen aanpak wijzigen", request=ApproachWriteSerializer,
                         responses=ApproachDetailSerializer),
    partial_update=extend_schema(summary="Een eigen aanpak deels wijzigen", request=ApproachWriteSerializer,
                                 responses=ApproachDetailSerializer),
)
class ApproachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The catalogue of approaches, trajectories, instruments and initiatives. Reading is open to every role;
    a functional administrator keeps the municipality's own approaches and its local offer."""

    lookup_field = "slug"
    lookup_value_regex = "[a-z0-9-]+"

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update", "retire"):
            return [ManagesCatalogue()]
        if self.action == "local_offer" and self.request.method != "GET":
            return [ManagesCatalogue()]
        if self.action == "assessments" and self.request.method == "POST":
            return [AssessesApproaches()]
        return [SeesCatalogue()]

    def municipality_ids(self):
        return list(self.request.user.municipalities.values_list("pk", flat=True))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Approach.objects.none()
        if self.action == "list":
            return selectors.approach_list(filters_from(self.request.query_params), self.municipality_ids())
        return selectors.with_relations(Approach.objects.all(), self.municipality_ids())

    def get_serializer_class(self):
        if self.action == "list":
            return ApproachListSerializer
        if self.action in ("create", "update", "partial_update"):
            return ApproachWriteSerializer
        return ApproachDetailSerializer

    def _detail(self, slug, status_code=status.HTTP_200_OK):
        approach = selectors.approach_detail(slug, self.municipality_ids())
        return Response(ApproachDetailSerializer(approach, context={"request": self.request}).data, status=status_code)

    def create(self, request, *args, **kwargs):
        payload = ApproachWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        municipality = _municipality(request.user, data.pop("gemeente", None))
        if not data.get("slug"):
            raise ValidationError({"slug": ["Geef een sleutel (kleine letters, cijfers en -)."]})
        approach = call(services.save_local_approach, entry=_entry(data), municipality=municipality, by=request.user)
        return self._detail(approach.slug, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        approach = self.get_object()
        if approach.owner is None:
            raise PermissionDenied("De landelijke catalogus wijzigt u via de inhoudsbestanden, niet via de API.")
        partial = kwargs.pop("partial", False)
        if not isinstance(request.data, dict):  # a JSON list or text: merging it below raised a TypeError (500)
            raise ValidationError({"non_field_errors": ["Verwacht een object met de velden van de aanpak."]})
        if partial:
            current = services.entry_from_approach(approach)
            payload = ApproachWriteSerializer(data={**_jsonable(current), **request.data}, partial=False)
        else:
            payload = ApproachWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("gemeente", None)
        call(services.save_local_approach, entry=_entry(data), municipality=approach.owner, by=request.user,
              approach=approach)
        return self._detail(approach.slug)

    @extend_schema(summary="Een eigen aanpak uit de catalogus halen (de geschiedenis blijft)", request=RetireSerializer,
                   responses=ApproachDetailSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, slug=None):
        approach = self.get_object()
        payload = RetireSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call(services.retire_approach, approach=approach, reason=payload.validated_data["reason"], by=request.user)
        return self._detail(approach.slug)

    @extend_schema(methods=["GET"], summary="Beoordelingen met het beoordelingskader (nieuwste eerst)",
                   responses=AssessmentSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Een aanpak beoordelen (zes dimensies, ++ tot --, met onderbouwing)",
                   request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def assessments(self, request, slug=None):
        approach = self.get_object()
        if request.method == "GET":
            return Response(AssessmentSerializer(selectors.assessment_history(approach), many=True).data)
        payload = AssessmentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        assessment = call(
            services.record_assessment, approach=approach, by=request.user,
            scores={key: (value["score"], value["reasoning"]) for key, value in data["scores"].items()},
            checklist=data["checklist"], effect_level=data["effect_level"], conclusion=data["conclusion"])
        return Response(AssessmentSerializer(selectors.assessment_history(approach).get(pk=assessment.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="Het lokale aanbod van deze aanpak in de eigen gemeenten",
                   responses=LocalOfferSerializer(many=True))
    @extend_schema(methods=["PUT"], summary="Aanbieden in de eigen gemeente, met capaciteit, contact en kosten",
                   request=LocalOfferInputSerializer, responses=LocalOfferSerializer)
    @extend_schema(methods=["DELETE"], summary="Niet meer lokaal aanbieden (de geschiedenis blijft)",
                   parameters=[OpenApiParameter("gemeente", OpenApiTypes.STR)], responses={204: None})
    @action(detail=True, methods=["get", "put", "delete"], url_path="local-offer", pagination_class=None)
    def local_offer(self, request, slug=None):
        approach = self.get_object()
        if request.method == "GET":
            offers = LocalOffer.objects.filter(approach=approach, municipality__in=request.user.municipalities.all())
            return Response(LocalOfferSerializer(offers.select_related("municipality"), many=True).data)
        if request.method == "DELETE":
            municipality = _municipality(request.user, request.query_params.get("gemeente"))
            call(services.withdraw_local_offer, approach=approach, municipality=municipality, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        payload = LocalOfferInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        municipality = _municipality(request.user, values.pop("gemeente", None))
        offer = call(services.set_local_offer, approach=approach, municipality=municipality, values=values,
                      by=request.user)
        return Response(LocalOfferSerializer(offer).data)

    @extend_schema(summary="Aanpakken naast elkaar (maximaal vier)",
                   parameters=[OpenApiParameter("slug", OpenApiTypes.STR, many=True, required=True)],
                   responses=ApproachDetailSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def compare(self, request):
        slugs = request.query_params.getlist("slug")
        if not 1 <= len(slugs) <= 4:
            raise ValidationError({"slug": ["Kies één tot vier aanpakken."]})
        approaches = selectors.compare(slugs, self.municipality_ids())
        return Response(ApproachDetailSerializer(approaches, many=True, context={"request": request}).data)


def _entry(data: dict) -> dict:
    entry = {**data}
    entry["results"] = [dict(result) for result in data.get("results", [])]
    return entry


def _jsonable(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if value is not None}


@extend_schema_view(list=extend_schema(summary="Werkzame elementen (gecontroleerde woordenlijst)"),
                    retrieve=extend_schema(summary="Eén werkzaam element"))
class WorkingElementViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = WorkingElement.objects.all()
    serializer_class = WorkingElementSerializer
    lookup_field = "key"
    pagination_class = None
    permission_classes = [SeesCatalogue]


class WhatWorksView(APIView):
    """Per target group, approach type and ladder step: the approaches and working elements the research supports."""

    permission_classes = [SeesCatalogue]

    @extend_schema(summary="Wat werkt voor wie", responses=WhatWorksSerializer)
    def get(self, request):
        return Response(WhatWorksSerializer(selectors.what_works(), context={"request": request}).data)


class CatalogueExportView(APIView):
    permission_classes = [ExportsCatalogue]

    @extend_schema(
        summary="De catalogus met het lokale aanbod exporteren (JSON of XLSX)",
        parameters=[OpenApiParameter("file_format", OpenApiTypes.STR, enum=["json", "xlsx"]),
                    OpenApiParameter("gemeente", OpenApiTypes.STR, description="Lokaal aanbod van deze gemeente.")],
        responses={(200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
                   (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                       OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request):
        file_format = request.query_params.get("file_format", "json")
        if file_format not in ("json", "xlsx"):
            raise ValidationError({"file_format": ["Kies json of xlsx."]})
        municipality = _municipality(request.user, request.query_params.get("gemeente"))
        stamp = timezone.localdate().isoformat()
        if file_format == "xlsx":
            response = HttpResponse(
                exchange.export_xlsx(municipality=municipality),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            response = HttpResponse(exchange.export_json(municipality=municipality),
                                    content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kansrijk-catalogus-{stamp}.{file_format}"'
        return response


class CatalogueImportView(APIView):
    permission_classes = [ManagesCatalogue]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="Een catalogusbestand importeren (atomair; dry_run controleert alleen)",
                   request={"multipart/form-data": CatalogueImportSerializer},
                   responses={200: LoadSummarySerializer, (422, PROBLEM_MEDIA_TYPE): LoadSummarySerializer})
    def post(self, request):
        payload = CatalogueImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError({"file": ["Het bestand is groter dan 20 MB."]})
        municipality = _municipality(request.user, payload.validated_data.get("gemeente"))
        try:
            parsed = exchange.parse_catalogue_file(upload.read(), upload.name)
        except exchange.CatalogueFileError as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        summary = call(exchange.import_catalogue, parsed, municipality=municipality, by=request.user,
                        dry_run=payload.validated_data["dry_run"])
        body = {**summary.as_dict(), "dry_run": payload.validated_data["dry_run"]}
        if not summary.ok:
            return Response({"type": "https://kansrijk.readthedocs.io/problems/import-rejected",
                             "code": "import-rejected", "title": "Import afgewezen", "status": 422,
                             "detail": f"{len(summary.problems)} fout(en) gevonden; er is niets opgeslagen.",
                             **body}, status=422, content_type="application/problem+json")
        return Response(body)
