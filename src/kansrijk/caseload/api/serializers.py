from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansrijk.accounts import roles
from kansrijk.core.api import IdField

from ..models import BenefitSpell, CauseCode, Client, ClientSpecialCategories, ImportRun


class CauseCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CauseCode
        fields = ["code", "description", "status", "status_date", "cbs_indicator", "pko", "statistics_code"]


class BenefitSpellSerializer(serializers.ModelSerializer):
    cause = CauseCodeSerializer(read_only=True)

    class Meta:
        model = BenefitSpell
        fields = ["id", "original_start", "end_date", "first_period_start", "last_period_start", "period_count",
                  "group_code", "household", "cause", "end_reason"]


class SpecialCategoriesSerializer(serializers.ModelSerializer):
    """Each special category is present only for roles that may see it (``roles.SEES_HEALTH`` …)."""

    class Meta:
        model = ClientSpecialCategories
        fields = ["health", "addiction", "migration_background"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        for name, allowed in (("health", roles.SEES_HEALTH), ("addiction", roles.SEES_ADDICTION),
                              ("migration_background", roles.SEES_ORIGIN)):
            if not user.has_role(allowed):
                data.pop(name)
        return data


class ClientListSerializer(serializers.ModelSerializer):
    team = serializers.StringRelatedField()
    client_manager = serializers.StringRelatedField()
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)

    class Meta:
        model = Client
        fields = ["id", "url", "municipality", "client_number", "given_names", "family_name", "birth_year", "sex",
                  "household", "active_spell_start", "team", "client_manager"]
        extra_kwargs = {"url": {"view_name": "api:client-detail"}}


class ClientDetailSerializer(ClientListSerializer):
    spells = serializers.SerializerMethodField()
    special_categories = serializers.SerializerMethodField()

    class Meta(ClientListSerializer.Meta):
        fields = ClientListSerializer.Meta.fields + ["bsn", "dossier_number", "spells", "special_categories"]

    @extend_schema_field(BenefitSpellSerializer(many=True, allow_null=True))
    def get_spells(self, client):
        # Income data: not for the neighbourhood team (the social part only).
        if not self.context["request"].user.has_role(roles.SEES_INCOME_DATA):
            return None
        return BenefitSpellSerializer(client.spells.select_related("cause").order_by("original_start"),
                                      many=True).data

    @extend_schema_field(SpecialCategoriesSerializer(allow_null=True))
    def get_special_categories(self, client):
        user = self.context["request"].user
        if not user.has_role(roles.SEES_HEALTH | roles.SEES_ADDICTION | roles.SEES_ORIGIN):
            return None
        special = ClientSpecialCategories.objects.filter(client=client).first()
        return SpecialCategoriesSerializer(special, context=self.context).data if special else None


class AssignmentSerializer(serializers.Serializer):
    team = IdField(allow_null=True)
    client_manager = IdField(allow_null=True, required=False)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Export van het uitkeringssysteem (CSV of XLSX).")
    gemeente = serializers.CharField(required=False, help_text="CBS-gemeentecode; standaard de eigen gemeente.")
    skip_invalid = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False)


class ImportRunSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    uploaded_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ImportRun
        fields = ["id", "municipality", "uploaded_by", "source", "filename", "sha256", "status", "skip_invalid",
                  "summary", "errors", "created_at", "finished_at"]


class ImportErrorSerializer(serializers.Serializer):
    regel = serializers.IntegerField(help_text="Regel in het bestand (bij XLSX: de rij van het werkblad).")
    kolom = serializers.CharField()
    waarde = serializers.CharField()
    fout = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """What ``POST /imports/`` answers: the outcome, and the import record unless it was a dry run."""

    status = serializers.ChoiceField(choices=ImportRun.Status.choices)
    summary = serializers.DictField(help_text="Tellingen: zie docs/import-format.md, 'Summary'.")
    errors = ImportErrorSerializer(many=True, help_text="Hoogstens 1.000 fouten.")
    run = ImportRunSerializer(allow_null=True)
