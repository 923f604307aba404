from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, Team, User
from kansrijk.accounts.roles import Role

from .selectors import AGE_CLASSES, DURATION_CLASSES


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False,
                        help_text=_("Naam, cliëntnummer of BSN"),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Alle teams"))
    client_manager = forms.ModelChoiceField(label=_("Klantmanager"), queryset=User.objects.none(), required=False,
                                            empty_label=_("Alle klantmanagers"))
    duration = forms.ChoiceField(label=_("Duur lopende uitkering"), required=False,
                                 choices=[("", _("Elke duur"))] + [(c, label) for c, label, *_ in DURATION_CLASSES])
    age_class = forms.ChoiceField(label=_("Leeftijdsklasse"), required=False,
                                  choices=[("", _("Elke leeftijd"))] + [(c, label) for c, label, *_ in AGE_CLASSES])
    household = forms.ChoiceField(label=_("Leefvorm"), required=False)
    zonder_team = forms.BooleanField(label=_("Alleen zonder team"), required=False)

    def __init__(self, *args, user, households: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        teams = user.teams.all()
        self.fields["team"].queryset = teams
        self.fields["client_manager"].queryset = User.objects.filter(
            teams__in=teams, role=Role.KLANTMANAGER).distinct().order_by("last_name", "first_name")
        self.fields["household"].choices = [("", _("Elke leefvorm"))] + [(h, h) for h in households]
        if not user.has_role(roles.ASSIGNS_CLIENTS):
            del self.fields["zonder_team"]


class AssignmentForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Geen team"))
    client_manager = forms.ModelChoiceField(label=_("Klantmanager"), queryset=User.objects.none(), required=False,
                                            empty_label=_("Geen klantmanager"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = user.teams.all()
        self.fields["team"].queryset = teams
        self.fields["client_manager"].queryset = User.objects.filter(
            teams__in=teams, role=Role.KLANTMANAGER).distinct().order_by("last_name", "first_name")


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Export van het uitkeringssysteem"),
                           help_text=_("CSV (met , of ;) of XLSX, één regel per uitkeringsperiode."))
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=Municipality.objects.none(),
                                          empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = user.municipalities.all()
        own = user.municipalities.filter(cbs_code=settings.KANSRIJK_DEFAULT_GEMEENTE).first()
        if own:
            self.fields["municipality"].initial = own.pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KANSRIJK_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan toegestaan."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Kies een CSV- of XLSX-bestand."))
        return upload
