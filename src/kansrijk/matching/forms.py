"""The form to record a decision on one recommended approach. It only parses input; the rules live in
``services.record_decision``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm
from kansrijk.core.ids import MAX_ID

from .models import Decision


class DecisionForm(AccessibleForm):
    approach = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    decision = forms.ChoiceField(label=_("Besluit"), choices=Decision.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies ‘gekozen’ of ‘niet gekozen’."),
                                                 "invalid_choice": _("Kies ‘gekozen’ of ‘niet gekozen’.")})
    reason = forms.CharField(label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Verplicht als de aanpak niet is gekozen."))
