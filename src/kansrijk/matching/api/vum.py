"""The VUM exchange API (``/api/v1/vum/…``): export open vacancies and consented job-seeker profiles as a VUM
envelope, and import VUM documents (the body is the document: one object, a list, or an envelope).

Imports are all or nothing. A document that cannot be read at all is a 400; one with errors in its items is a 422
problem (``import-rejected``) whose ``invalidParams`` name every place (``vacatures[3].werktijden…``) with its
reason. ``?dry_run=1`` checks without saving. Profiles export leaves an access record per exported client."""

from django.core.exceptions import RequestDataTooBig
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.core.api import PROBLEM_MEDIA_TYPE

from ..vum import documents, services
from ..vum.schemas import VACATURES, WERKZOEKENDEN

ExchangesVacancies = role_permission(roles.EXCHANGES_VACANCIES, "ExchangesVacancies")
ExportsProfiles = role_permission(roles.EXPORTS_PROFILES, "ExportsProfiles")
ImportsProfiles = role_permission(roles.IMPORTS_PROFILES, "ImportsProfiles")

GEMEENTE = OpenApiParameter("gemeente", OpenApiTypes.STR,
                            description="CBS-code van de gemeente; standaard de eerste gemeente van de gebruiker.")
DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Alleen controleren, niets opslaan.")
SLEUTEL = OpenApiParameter("sleutel", OpenApiTypes.STR, enum=list(services.KEYS),
                           description="Hoe idWerkzoekende de cliënt aanwijst: het pseudoniem uit een export van "
                                       "Kansrijk (standaard) of het cliëntnummer.")
TRUE = ("1", "true", "ja", "yes")


class VumProblemSerializer(serializers.Serializer):
    place = serializers.CharField(help_text="JSON-pad in het document, bijvoorbeeld vacatures[3].werktijden.")
    message = serializers.CharField()


class VumImportSummarySerializer(serializers.Serializer):
    soort = serializers.ChoiceField(choices=[WERKZOEKENDEN, VACATURES])
    dry_run = serializers.BooleanField()
    ok = serializers.BooleanField()
    items = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    employers_created = serializers.IntegerField()
    problems = VumProblemSerializer(many=True)
    notes = VumProblemSerializer(many=True, help_text="Gegevens die niet konden worden overgenomen; geen fout.")


def _municipality(user, code=None):
    municipalities = user.municipalities.order_by("cbs_code")
    municipality = municipalities.filter(cbs_code=code).first() if code else municipalities.first()
    if municipality is None:
        raise ValidationError({"gemeente": [f"U werkt niet voor gemeente {code}." if code else
                                            "U bent aan geen gemeente gekoppeld."]})
    return municipality


class _Export(APIView):
    kind = ""

    def get(self, request):
        municipality = _municipality(request.user, request.query_params.get("gemeente"))
        try:
            document = self.export(request, municipality)
        except services.VumExportError as error:
            raise APIException(f"De export voldoet niet aan de standaard: {error}") from error
        return Response(document)


class _Import(APIView):
    kind = ""

    def post(self, request):
        municipality = _municipality(request.user, request.query_params.get("gemeente"))
        key = request.query_params.get("sleutel", "pseudoniem")
        if key not in services.KEYS:
            raise ValidationError({"sleutel": [f"Kies {' of '.join(services.KEYS)}."]})
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        try:
            body = request.body
        except RequestDataTooBig as error:
            message = "Het document is te groot voor de API; gebruik kansrijk import_vum."
            raise ValidationError({"document": [message]}) from error
        try:
            document = documents.read_document(body, kind=self.kind)
        except documents.VumDocumentError as error:
            raise ValidationError({"document": [str(error)]}) from error
        summary = services.import_document(document, municipality=municipality, user=request.user, dry_run=dry_run,
                                           key=key)
        body = summary.as_dict()
        if not summary.ok:
            return Response({
                "type": "https://kansrijk.readthedocs.io/problems/import-rejected", "code": "import-rejected",
                "title": "Import afgewezen", "status": 422,
                "detail": f"{len(summary.problems)} fout(en) gevonden; er is niets opgeslagen.",
                "invalidParams": [{"name": p.place, "code": "invalid", "reason": p.message} for p in summary.problems],
                **body,
            }, status=422, content_type="application/problem+json")
        return Response(body)


# The 422 is problem details with the summary's fields; the 400 gets the problem-details body from the schema hook.
IMPORT_RESPONSES = {200: VumImportSummarySerializer, (422, PROBLEM_MEDIA_TYPE): VumImportSummarySerializer,
                    400: OpenApiResponse(description="Het document is onleesbaar.")}


class VumVacanciesExportView(_Export):
    permission_classes = [ExchangesVacancies]
    kind = VACATURES

    @extend_schema(summary="Open vacatures als VUM-envelop {\"vacatures\": [Vacature 0.8.2 …]}", parameters=[GEMEENTE],
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request):
        return super().get(request)

    def export(self, request, municipality):
        return services.export_vacancies(municipality=municipality)


class VumProfilesExportView(_Export):
    permission_classes = [ExportsProfiles]
    kind = WERKZOEKENDEN

    @extend_schema(summary="Werkzoekendenprofielen van cliënten met toestemming als VUM-envelop "
                           "{\"werkzoekenden\": [Werkzoekende 0.8.7 …]} (legt per cliënt een inzage vast)",
                   parameters=[GEMEENTE], responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request):
        return super().get(request)

    def export(self, request, municipality):
        return services.export_profiles(municipality=municipality, user=request.user)


class VumVacanciesImportView(_Import):
    permission_classes = [ExchangesVacancies]
    kind = VACATURES

    @extend_schema(summary="Vacatures importeren uit een VUM-document (atomair; dry_run controleert alleen)",
                   parameters=[GEMEENTE, DRY_RUN], request={"application/json": OpenApiTypes.OBJECT},
                   responses=IMPORT_RESPONSES)
    def post(self, request):
        return super().post(request)


class VumProfilesImportView(_Import):
    permission_classes = [ImportsProfiles]
    kind = WERKZOEKENDEN

    @extend_schema(summary="Werkzoekendenprofielen van bestaande cliënten bijwerken uit een VUM-document (atomair; "
                           "dry_run controleert alleen)",
                   parameters=[GEMEENTE, DRY_RUN, SLEUTEL], request={"application/json": OpenApiTypes.OBJECT},
                   responses=IMPORT_RESPONSES)
    def post(self, request):
        return super().post(request)
