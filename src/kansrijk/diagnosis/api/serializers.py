"""Serializers of the diagnosis API. Reading shows every version of a record (a correction names the record it
corrects); writing only parses input for the services in ``diagnosis.services``, which hold the rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kansrijk.accounts import roles
from kansrijk.core.api import IdField

from ..instruments import LADDER_QUESTIONS, ZRM_LEVELS
from ..models import DistanceClass, DistanceJudgement, Intake, LadderMeasurement, LadderStep, ZrmMeasurement, ZrmVersion
from ..selectors import visible_zrm_domains
from ..services import INTAKE_SPECIAL_FIELDS

# Special categories of the intake and the role set that may read and write each.
SPECIAL_ROLES = {"physical_health": roles.SEES_HEALTH, "mental_health": roles.SEES_HEALTH,
                 "addiction": roles.SEES_ADDICTION}
# The intake's ordinary fields, written through ``record_intake(values=…)``.
INTAKE_VALUE_FIELDS = [
    "housing", "housing_note", "debts", "finances_note", "dutch_speaking", "dutch_listening", "dutch_reading",
    "dutch_writing", "education", "work_experience", "wishes", "talents", "motivation_willing", "motivation_able",
    "motivation_ready", "client_role", "hours_per_week", "childcare_needed", "childcare_arranged", "transport",
    "driving_licence", "work_exemption_until", "job_search_exemption_until", "exemption_reason", "regime", "note",
]


def _corrected_by(record):
    correction = getattr(record, "corrected_by", None)
    return correction.pk if correction is not None else None


class LadderStepSerializer(serializers.ModelSerializer):
    is_substep = serializers.BooleanField(read_only=True)

    class Meta:
        model = LadderStep
        fields = ["id", "code", "trede", "name", "criterion", "is_substep"]


class LadderMeasurementSerializer(serializers.ModelSerializer):
    measured_by = serializers.StringRelatedField()
    step = LadderStepSerializer(read_only=True)
    substeps = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = LadderMeasurement
        fields = ["id", "measured_on", "measured_by", "created_at", "trede", "step", "substeps", "proposed_trede",
                  "answers", "override_reason", "note", "corrects", "corrected_by"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))  # None until a later record corrects it
    def get_corrected_by(self, measurement):
        return _corrected_by(measurement)


class LadderInputSerializer(serializers.Serializer):
    steps = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list,
        help_text="Codes van de treden of substappen waarop de cliënt staat (bijvoorbeeld ['2.3', '2.4']); de "
                  "hoogste wordt geregistreerd.")
    step_ids = serializers.ListField(child=IdField(), required=False, default=list,
                                     help_text="Of: de id's van die treden of substappen.")
    answers = serializers.DictField(
        child=serializers.BooleanField(), required=False, default=dict,
        help_text="Antwoorden op de vragenlijst (ja = true): "
                  + ", ".join(key for key, _trede, _question in LADDER_QUESTIONS) + ".")
    override_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                            help_text="Verplicht als de gekozen trede afwijkt van het voorstel.")
    measured_on = serializers.DateField(required=False, help_text="Standaard vandaag.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    corrects = IdField(required=False, allow_null=True, default=None,
                                        help_text="Id van de meting die deze corrigeert.")

    def validate(self, data):
        if not data["steps"] and not data["step_ids"]:
            raise serializers.ValidationError({"steps": "Kies minstens één trede of substap van uw gemeente."})
        return data


class ZrmMeasurementSerializer(serializers.ModelSerializer):
    measured_by = serializers.StringRelatedField()
    levels = serializers.SerializerMethodField()
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = ZrmMeasurement
        fields = ["id", "measured_on", "measured_by", "created_at", "version", "levels", "note", "corrects",
                  "corrected_by"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}})
    def get_levels(self, measurement):
        """Per domain the level 1–5; health and substance use only for the roles that see those categories."""
        visible = {key for key, _label in visible_zrm_domains(self.context["request"].user, measurement.version)}
        return {score.domain: score.level for score in measurement.scores.all() if score.domain in visible}

    @extend_schema_field(serializers.IntegerField(allow_null=True))  # None until a later record corrects it
    def get_corrected_by(self, measurement):
        return _corrected_by(measurement)


class ZrmInputSerializer(serializers.Serializer):
    version = serializers.ChoiceField(choices=ZrmVersion.choices)
    levels = serializers.DictField(
        help_text="Per domein van de versie een heel niveau: "
                  + "; ".join(f"{level} {label}" for level, label in ZRM_LEVELS.items()) + ". Alle domeinen verplicht.")
    measured_on = serializers.DateField(required=False, help_text="Standaard vandaag.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    corrects = IdField(required=False, allow_null=True, default=None)


class IntakeSpecialSerializer(serializers.Serializer):
    physical_health = serializers.CharField(required=False, allow_blank=True)
    mental_health = serializers.CharField(required=False, allow_blank=True)
    addiction = serializers.CharField(required=False, allow_blank=True)


class IntakeSerializer(serializers.ModelSerializer):
    measured_by = serializers.StringRelatedField()
    special_categories = serializers.SerializerMethodField()
    corrected_by = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "measured_on", "measured_by", "created_at", *INTAKE_VALUE_FIELDS, "special_categories",
                  "corrects", "corrected_by"]

    @extend_schema_field(IntakeSpecialSerializer(allow_null=True))
    def get_special_categories(self, intake):
        """Health and addiction (AVG art. 9): each only for the roles that may see it; absent otherwise."""
        user = self.context["request"].user
        allowed = [name for name in INTAKE_SPECIAL_FIELDS if user.has_role(SPECIAL_ROLES[name])]
        if not allowed:
            return None
        special = getattr(intake, "special_categories", None)
        return {name: getattr(special, name) if special else "" for name in allowed}

    @extend_schema_field(serializers.IntegerField(allow_null=True))  # None until a later record corrects it
    def get_corrected_by(self, intake):
        return _corrected_by(intake)


class IntakeInputSerializer(serializers.ModelSerializer):
    measured_on = serializers.DateField(required=False, help_text="Standaard vandaag.")
    special_categories = IntakeSpecialSerializer(
        required=False, help_text="Alleen voor rollen die gezondheid of verslaving mogen zien.")
    corrects = IdField(required=False, allow_null=True, default=None)

    class Meta:
        model = Intake
        fields = ["measured_on", *INTAKE_VALUE_FIELDS, "special_categories", "corrects"]


class DistanceJudgementSerializer(serializers.ModelSerializer):
    judged_by = serializers.StringRelatedField()

    class Meta:
        model = DistanceJudgement
        fields = ["id", "distance", "derived", "reason", "judged_by", "judged_on"]


class DistanceSerializer(serializers.Serializer):
    """The derived indicator with its reasons, and the professional's judgement when one was given."""

    derived = serializers.ChoiceField(choices=DistanceClass.choices, allow_null=True)
    value = serializers.ChoiceField(
        choices=DistanceClass.choices, allow_null=True,
        help_text="Het oordeel van de professional als dat er is, anders de afgeleide indicatie.")
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    judgement = DistanceJudgementSerializer(allow_null=True)


class DistanceInputSerializer(serializers.Serializer):
    distance = serializers.ChoiceField(choices=DistanceClass.choices)
    reason = serializers.CharField(help_text="Waarom u anders oordeelt dan de afgeleide indicatie.")
