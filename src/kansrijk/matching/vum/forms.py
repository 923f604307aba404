"""The upload form of the VUM exchange page. Reading and checking the file is the services' work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm

from .documents import MAX_BYTES
from .schemas import VACATURES, WERKZOEKENDEN
from .services import KEYS


class VumImportForm(AccessibleForm):
    file = forms.FileField(label=_("VUM-bestand"),
                           help_text=_("JSON volgens VUM: één werkzoekende of vacature, een lijst, of een envelop met "
                                       "een lijst onder 'werkzoekenden' of 'vacatures'; hoogstens 20 MB."),
                           error_messages={"required": _("Kies een bestand.")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}))
    soort = forms.ChoiceField(label=_("Soort"), required=False, initial="", choices=[
        ("", _("Herkennen aan de inhoud")), (WERKZOEKENDEN, _("Werkzoekenden")), (VACATURES, _("Vacatures"))])
    sleutel = forms.ChoiceField(
        label=_("Werkzoekende aanwijzen met"), initial=KEYS[0], required=False,
        choices=[(KEYS[0], _("Het pseudoniem uit een export van Kansrijk")), (KEYS[1], _("Het cliëntnummer"))],
        help_text=_("Alleen voor werkzoekenden. Kansrijk maakt geen cliënten aan: een onbekende werkzoekende is een "
                    "fout."))
    dry_run = forms.BooleanField(label=_("Alleen controleren, nog niets opslaan"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            label=_("Importeren in gemeente"), queryset=user.municipalities.order_by("name"), empty_label=None,
            error_messages={"required": _("U bent aan geen gemeente gekoppeld."),
                            "invalid_choice": _("Kies een van uw eigen gemeenten.")})
        own = list(field.queryset[:2])
        if len(own) == 1:
            # One municipality: nothing to choose, so no select to tab past.
            field.widget = forms.HiddenInput()
            field.initial = own[0].pk
        self.fields["municipality"] = field
        self.order_fields(["file", "soort", "sleutel", "municipality", "dry_run"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload
