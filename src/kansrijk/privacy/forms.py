from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm

from . import pseudonymised
from .models import AccessRequest


class AccessRequestForm(AccessibleForm):
    reference = forms.CharField(label=_("Kenmerk van het verzoek"), max_length=100,
                                help_text=_("Bijvoorbeeld het zaaknummer waaronder het verzoek is geregistreerd."))
    received_on = forms.DateField(label=_("Verzoek ontvangen op"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    format = forms.ChoiceField(label=_("Vorm"), choices=AccessRequest.Format.choices, widget=forms.RadioSelect,
                               initial=AccessRequest.Format.PDF)


class PseudonymisedExportForm(AccessibleForm):
    gemeente = forms.ChoiceField(label=_("Gemeente"))
    tabel = forms.ChoiceField(label=_("Tabel"), choices=pseudonymised.TABLE_CHOICES, widget=forms.RadioSelect)
    doel = forms.CharField(label=_("Doel van de analyse"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Wordt vastgelegd bij de export, met uw naam en het tijdstip."))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.cbs_code, str(m)) for m in municipalities]
