"""The functional administrator's configuration of keeping clients in view: a municipality's segmentations with their
client groups (e.g. Steenwijkerland's six) and the contact-rhythm rules. A staff user who is not a superuser sees
and edits only the rows of their own municipalities."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.models import Municipality

from .models import ContactRhythmRule, Segment, Segmentation


class OwnMunicipalitiesAdmin(admin.ModelAdmin):
    """Limits rows and municipality choices to the user's municipalities unless the user is a superuser."""

    municipality_path = "municipality"

    def own_municipalities(self, request):
        if request.user.is_superuser:
            return Municipality.objects.all()
        return request.user.municipalities.all()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.municipality_path}__in": self.own_municipalities(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = self.own_municipalities(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 3
    fields = ["position", "name", "description"]


@admin.register(Segmentation)
class SegmentationAdmin(OwnMunicipalitiesAdmin):
    list_display = ["name", "municipality", "group_names"]
    list_filter = ["municipality"]
    search_fields = ["name", "segments__name"]
    inlines = [SegmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality").prefetch_related("segments")

    @admin.display(description=_("klantgroepen"))
    def group_names(self, obj):
        return ", ".join(segment.name for segment in obj.segments.all()) or "–"


class ContactRhythmRuleForm(forms.ModelForm):
    class Meta:
        model = ContactRhythmRule
        fields = ["municipality", "name", "interval_days", "min_benefit_years", "trede_min", "trede_max", "segment",
                  "active"]
        help_texts = {
            "interval_days": _("Bijvoorbeeld 365 (eens per jaar), 91 (elk kwartaal) of 14 (elke twee weken)."),
            "min_benefit_years": _("Leeg: ongeacht de duur van de uitkering."),
            "trede_min": _("Leeg: ongeacht de trede. Cliënten zonder vastgelegde trede vallen buiten een regel met "
                           "een trede."),
            "segment": _("Leeg: elke klantgroep."),
        }

    def clean(self):
        data = super().clean()
        trede_min, trede_max = data.get("trede_min"), data.get("trede_max")
        if trede_min is not None and trede_max is not None and trede_min > trede_max:
            self.add_error("trede_max", gettext("De trede 'tot en met' ligt onder de trede 'vanaf'."))
        segment, municipality = data.get("segment"), data.get("municipality")
        if segment is not None and municipality is not None and segment.segmentation.municipality_id != municipality.pk:
            self.add_error("segment", gettext("Deze klantgroep hoort bij een andere gemeente."))
        return data


@admin.register(ContactRhythmRule)
class ContactRhythmRuleAdmin(OwnMunicipalitiesAdmin):
    form = ContactRhythmRuleForm
    list_display = ["name", "interval_days", "conditions", "municipality", "active"]
    list_filter = ["municipality", "active"]
    search_fields = ["name"]
    fieldsets = (
        (None, {"fields": ("municipality", "name", "interval_days", "active")}),
        (_("Voor welke cliënten (leeg: iedereen met een lopende uitkering)"),
         {"fields": ("min_benefit_years", "trede_min", "trede_max", "segment")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality", "segment__segmentation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "segment":
            kwargs["queryset"] = Segment.objects.filter(
                segmentation__municipality__in=self.own_municipalities(request)).select_related("segmentation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("voorwaarden"))
    def conditions(self, obj):
        parts = []
        if obj.min_benefit_years is not None:
            parts.append(gettext("minstens %(n)s jaar in de bijstand") % {"n": obj.min_benefit_years})
        if obj.trede_min is not None or obj.trede_max is not None:
            parts.append(gettext("trede %(low)s–%(high)s") % {"low": obj.trede_min or 1, "high": obj.trede_max or 6})
        if obj.segment_id is not None:
            parts.append(gettext("klantgroep %(name)s") % {"name": obj.segment})
        return "; ".join(parts) or gettext("iedereen met een lopende uitkering")
