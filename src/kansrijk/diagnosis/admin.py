"""The Participatieladder's steps in /beheer/: VNG's six (read-only, loaded by a migration) and each municipality's
own sub-steps, which the functional administrator configures, or starts from Heemskerk's example set (a button on
the list). A staff user who is not a superuser sees the national steps and the sub-steps of their own
municipalities, and edits only the latter."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.models import Municipality
from kansrijk.core.ids import parse_id

from . import services
from .instruments import EXAMPLE_SETS
from .models import LadderMeasurement, LadderStep


class AdoptExampleForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=Municipality.objects.none(),
                                          error_messages={"required": _("Kies een gemeente."),
                                                          "invalid_choice": _("Kies een gemeente waarvoor u werkt.")})

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class MunicipalityFilter(admin.SimpleListFilter):
    """By municipality, with the national steps as a choice of their own."""

    title = _("gemeente")
    parameter_name = "gemeente"

    def lookups(self, request, model_admin):
        return [("vng", _("Treden van de VNG (landelijk)"))] + [
            (str(m.pk), m.name) for m in model_admin.own_municipalities(request).order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "vng":
            return queryset.filter(municipality__isnull=True)
        if parse_id(value) is not None:
            return queryset.filter(municipality_id=parse_id(value))
        return queryset


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "trede", "municipality_or_vng", "position", "active"]
    list_filter = [MunicipalityFilter, "trede", "active"]
    search_fields = ["code", "name", "criterion"]
    fields = ["municipality", "code", "trede", "name", "criterion", "position", "active"]
    change_list_template = "inview/admin_ladderstep_change_list.html"

    def own_municipalities(self, request):
        if request.user.is_superuser:
            return Municipality.objects.all()
        return request.user.municipalities.all()

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("municipality")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(municipality__isnull=True) | Q(municipality__in=self.own_municipalities(request)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = self.own_municipalities(request)
            if not request.user.is_superuser:
                kwargs["required"] = True  # only a superuser touches the national steps
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.municipality_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.municipality_id is None:
            return False  # VNG's six are the backbone of every measurement
        if obj is not None and (LadderMeasurement.objects.filter(step=obj).exists()
                                or LadderMeasurement.substeps.through.objects.filter(ladderstep=obj).exists()):
            return False  # recorded measurements keep their sub-steps; switch it off ("actief") instead
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would bypass the per-step check above and silently strip sub-steps from past measurements.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("gemeente"), ordering="municipality__name")
    def municipality_or_vng(self, obj):
        return obj.municipality.name if obj.municipality_id else gettext("VNG (landelijk)")

    # --- Heemskerk's example set ------------------------------------------------------------------------------------

    def get_urls(self):
        return [path("voorbeeldset/", self.admin_site.admin_view(self.adopt_example_view),
                     name="diagnosis_ladderstep_adopt_example"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_adopt_example": self.has_add_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def adopt_example_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AdoptExampleForm(request.POST or None, municipalities=self.own_municipalities(request))
        if request.method == "POST" and form.is_valid():
            municipality = form.cleaned_data["municipality"]
            created = services.adopt_example_substeps(municipality=municipality, example="heemskerk")
            if created:
                self.message_user(request, gettext("%(n)s substappen van Heemskerk toegevoegd voor %(name)s. Pas ze "
                                                   "gerust aan.") % {"n": created, "name": municipality.name},
                                  messages.SUCCESS)
            else:
                self.message_user(request, gettext("%(name)s had de voorbeeldset al; er is niets toegevoegd.")
                                  % {"name": municipality.name}, messages.INFO)
            changelist = reverse("admin:diagnosis_ladderstep_changelist")
            return redirect(f"{changelist}?gemeente={municipality.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Voorbeeldset substappen van Heemskerk overnemen"),
            "opts": self.model._meta,
            "form": form,
            "steps": EXAMPLE_SETS["heemskerk"],
        }
        return TemplateResponse(request, "inview/admin_adopt_substeps.html", context)
