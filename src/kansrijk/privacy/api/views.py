"""API of the privacy operations: the client's file for an access request and the pseudonymised analysis export.
Both are POSTs: each records who asked, when and why before the file leaves."""

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView

from kansrijk.accounts import roles
from kansrijk.accounts.permissions import role_permission
from kansrijk.core.pseudonyms import analysis_key
from kansrijk.diagnosis.api.viewsets import call
from kansrijk.monitoring.selectors import municipality_for

from .. import access_request, selectors, services
from ..views import file_response, streaming_csv
from .serializers import AccessRequestInputSerializer, PseudonymisedExportInputSerializer

HandlesAccessRequests = role_permission(roles.HANDLES_ACCESS_REQUESTS, "HandlesAccessRequests")
ExportsPseudonymised = role_permission(roles.EXPORTS_PSEUDONYMISED, "ExportsPseudonymised")


class KeyMissing(exceptions.APIException):
    status_code = 503
    default_detail = "De sleutel voor pseudonimiseren (PSEUDONYMISATION_KEY) is niet ingesteld."
    default_code = "pseudonymisation_key_missing"


class AccessRequestExportView(APIView):
    permission_classes = [HandlesAccessRequests]

    @extend_schema(
        summary="Inzageverzoek (AVG art. 15): het hele dossier van de cliënt als PDF of HTML",
        description="Legt het verzoek vast (kenmerk, ontvangstdatum, wie, wanneer) en een inzage, en geeft het hele "
                    "dossier: alle vastleggingen met datum en rol, bijzondere persoonsgegevens, wie de gegevens "
                    "inzag, met wie ze zijn gedeeld, de logica van aanbevelingen en de bewaartermijn.",
        request=AccessRequestInputSerializer,
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, "text/html"): OpenApiResponse(OpenApiTypes.STR)})
    def post(self, request, pk: int):
        client = selectors.client_for_access_request(request.user, pk)
        if client is None:
            raise exceptions.NotFound()
        serializer = AccessRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        call(services.record_access_request, client=client, by=request.user, reference=data["reference"],
             received_on=data["received_on"], fmt=data["format"])
        return file_response(access_request.client_file(client), data["format"])


class PseudonymisedExportView(APIView):
    permission_classes = [ExportsPseudonymised]

    @extend_schema(
        summary="Gepseudonimiseerde export per persoon voor analyse (CSV, gestreamd)",
        description="Eén rij per uitkeringsperiode, tredemeting of traject, met een pseudoniem (HMAC-SHA256 met "
                    "een sleutel buiten de database) in plaats van naam, BSN of cliëntnummer. Het doel wordt met "
                    "gebruiker en tijdstip vastgelegd.",
        request=PseudonymisedExportInputSerializer,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    def post(self, request):
        serializer = PseudonymisedExportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        municipality = municipality_for(request.user, data.get("municipality") or None)
        if municipality is None:
            raise exceptions.ValidationError({"municipality": ["Geen gemeente van u met deze code."]})
        try:
            key = analysis_key()
        except ImproperlyConfigured as exc:
            raise KeyMissing() from exc
        call(services.record_pseudonymised_export, by=request.user, municipality=municipality, table=data["table"],
             purpose=data["purpose"])
        return streaming_csv(data["table"], municipality, key)
