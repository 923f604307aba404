from rest_framework import serializers

from ..models import AccessRequest
from ..pseudonymised import TABLE_CHOICES


class AccessRequestInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100, help_text="Kenmerk van het verzoek, bijvoorbeeld het zaaknummer.")
    received_on = serializers.DateField(help_text="Datum waarop het verzoek is ontvangen.")
    format = serializers.ChoiceField(choices=AccessRequest.Format.choices, default=AccessRequest.Format.PDF)


class PseudonymisedExportInputSerializer(serializers.Serializer):
    municipality = serializers.CharField(required=False, allow_blank=True, max_length=4,
                                         help_text="CBS-gemeentecode; standaard de eerste gemeente van de gebruiker.")
    table = serializers.ChoiceField(choices=TABLE_CHOICES)
    purpose = serializers.CharField(help_text="Doel van de analyse; wordt vastgelegd (minstens 20 tekens).")
