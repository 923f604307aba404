"""Serializers of the in-view API: contacts, the worklist and review campaigns."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansrijk.core.api import IdField

from ..models import Campaign, ClientSegment, Contact, Segment, Segmentation


class ContactSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = Contact
        fields = ["id", "contacted_on", "channel", "with_whom", "author", "summary", "follow_up", "follow_up_on",
                  "confidentiality", "created_at"]


class ContactInputSerializer(serializers.Serializer):
    contacted_on = serializers.DateField()
    channel = serializers.CharField(help_text="persoonlijk, huisbezoek, telefoon, video of bericht.")
    with_whom = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    summary = serializers.CharField(allow_blank=True)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)
    confidentiality = serializers.CharField(
        required=False, default=None,
        help_text="sociaal, werk_inkomen of vertrouwelijk. Standaard werk_inkomen; voor het wijkteam sociaal, en "
                  "het wijkteam mag alleen sociaal vastleggen.")


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "description"]


class SegmentationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code", read_only=True)
    segments = SegmentSerializer(many=True, read_only=True)

    class Meta:
        model = Segmentation
        fields = ["id", "municipality", "name", "description", "segments"]


class ClientSegmentSerializer(serializers.ModelSerializer):
    segmentation = serializers.CharField(source="segmentation.name", read_only=True)
    segment = SegmentSerializer(read_only=True)
    placed_by = serializers.StringRelatedField()

    class Meta:
        model = ClientSegment
        fields = ["segmentation", "segment", "placed_by", "placed_on"]


class ClientSegmentInputSerializer(serializers.Serializer):
    segment = IdField(help_text="Id van de klantgroep (zie /api/v1/segmentations/). De cliënt staat "
                                                 "per indeling in één klantgroep; een eerdere plaatsing in dezelfde "
                                                 "indeling wordt vervangen.")


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    days = serializers.IntegerField(allow_null=True, help_text="Dagen te laat of over de datum; leeg als niet van "
                                                              "toepassing.")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorklistItemSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    client_url = serializers.SerializerMethodField()
    client_number = serializers.CharField()
    name = serializers.CharField()
    client_manager = serializers.SerializerMethodField()
    urgency = serializers.IntegerField(help_text="Hoger is dringender; de lijst is hierop gesorteerd.")
    reasons = ReasonSerializer(many=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_client_url(self, item):
        return self.context["request"].build_absolute_uri(reverse("api:client-detail", args=[item.client_id]))

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_client_manager(self, item):
        manager = self.context["managers"].get(item.client_manager_id)
        return {"id": manager.pk, "name": str(manager)} if manager else None


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    invited = serializers.IntegerField()
    reached = serializers.IntegerField()
    seen = serializers.IntegerField()
    diagnosed = serializers.IntegerField()


class ManagerProgressSerializer(ProgressSerializer):
    client_manager = serializers.SerializerMethodField()

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_client_manager(self, row):
        manager = row["client_manager"]
        return {"id": manager.pk, "name": str(manager)} if manager else None


class CampaignSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    created_by = serializers.StringRelatedField()
    progress = ProgressSerializer(read_only=True, help_text="Uitgenodigd, bereikt, gezien en gediagnosticeerd.")

    class Meta:
        model = Campaign
        fields = ["id", "name", "municipality", "criteria", "created_by", "created_at", "started_on", "closed_on",
                  "progress"]


class CampaignDetailSerializer(CampaignSerializer):
    per_manager = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = CampaignSerializer.Meta.fields + ["per_manager"]

    @extend_schema_field(ManagerProgressSerializer(many=True))
    def get_per_manager(self, campaign):
        return ManagerProgressSerializer(campaign.per_manager, many=True).data


class CampaignInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=200)
    gemeente = serializers.CharField(required=False, help_text="CBS-code; standaard de eigen gemeente.")
    min_benefit_years = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=50,
                                                 help_text="Minstens zoveel jaar in de bijstand.")
    no_contact_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120,
                                                 help_text="Geen contact in zoveel maanden.")
    trede_max = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=6,
                                         help_text="Trede hoogstens (ook zonder trede).")
    team = IdField(required=False, allow_null=True, help_text="Alleen dit team.")
    without_diagnosis = serializers.BooleanField(required=False, default=False,
                                                 help_text="Alleen cliënten zonder trede en zonder ZRM.")
    segment = IdField(required=False, allow_null=True,
                                       help_text="Alleen cliënten in deze klantgroep (id uit de indeling van de "
                                                 "gemeente).")


class InvitedInputSerializer(serializers.Serializer):
    client_ids = serializers.ListField(child=IdField(), min_length=1, max_length=5000)
    invited_on = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text="Standaard vandaag.")


class InvitedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Aantal uitnodigingen dat nu als verstuurd is gemarkeerd.")
