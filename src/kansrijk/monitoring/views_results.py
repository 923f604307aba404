"""The dashboard (SEES_AGGREGATES): KPI tiles with their trend and the results per approach, provider and team,
each table with its chart, and their exports (CSV, XLSX; PNG, SVG of the chart). Aggregates only, so no access
record: nothing here shows a person."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.catalogue.forms import AccessibleForm

from . import exports, presentation, results_presentation, results_selectors, selectors
from .analysis import SUPPRESS_BELOW
from .forms import DATE_INPUT_FORMATS, check_period_date
from .results import Period

FORMATS = ("csv", "xlsx", "png", "svg")
DATE_ERRORS = {"invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")}


def check_period(start: date | None, end: date | None) -> tuple[Period | None, dict[str, str]]:
    """The period asked for (default: the twelve months up to today), or the problems per field. Shared by the
    form and the API."""
    end = end or timezone.localdate()
    errors = {}
    problem = check_period_date(end)
    if problem:
        errors["tot_en_met"] = str(problem)
    if start is not None:
        problem = check_period_date(start)
        if problem:
            errors["van"] = str(problem)
        elif start > end:
            errors["van"] = str(_("De periode begint na het einde: kies een begindatum vóór de einddatum."))
    if errors:
        return None, errors
    return (Period(start, end) if start else Period.year_until(end)), {}


class PeriodForm(AccessibleForm):
    van = forms.DateField(
        label=gettext_lazy("Van"), required=False, input_formats=DATE_INPUT_FORMATS, error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Eerste dag van de periode. Leeg: twaalf maanden vóór de einddatum."))
    tot_en_met = forms.DateField(
        label=gettext_lazy("Tot en met"), required=False, input_formats=DATE_INPUT_FORMATS,
        error_messages=DATE_ERRORS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Laatste dag van de periode. Leeg: vandaag."))
    gemeente = forms.ChoiceField(label=gettext_lazy("Gemeente"), required=False,
                                 error_messages={"invalid_choice": gettext_lazy("Kies een van uw gemeenten.")})

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.cbs_code, m.name) for m in municipalities]
        if len(municipalities) < 2:
            self.fields["gemeente"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period, errors = check_period(data.get("van"), data.get("tot_en_met"))
        for field, message in errors.items():
            self.add_error(field, message)
        data["period"] = period
        return data


def _params(request):
    """(form, municipality, period); municipality is None when the input is wrong or the user has none."""
    municipalities = list(selectors.municipalities_for(request.user))
    query = {k: v for k, v in request.GET.items() if k in ("van", "tot_en_met", "gemeente")}
    form = PeriodForm(query or None, municipalities=municipalities)
    if query and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if query else {}
    period = data.get("period") or Period.year_until(timezone.localdate())
    municipality = selectors.municipality_for(request.user, data.get("gemeente") or None)
    if not query:
        form = PeriodForm(initial={"van": period.start, "tot_en_met": period.end,
                                   "gemeente": getattr(municipality, "cbs_code", "")}, municipalities=municipalities)
    return form, municipality, period


def _context_line(municipality, period: Period) -> str:
    return _("%(municipality)s, periode %(start)s tot en met %(end)s. Aantallen onder de %(n)s personen zijn "
             "onderdrukt (<%(n)s).") % {"municipality": municipality.name, "start": period.start.strftime("%d-%m-%Y"),
                                        "end": period.end.strftime("%d-%m-%Y"), "n": SUPPRESS_BELOW}


@role_required(roles.SEES_AGGREGATES)
def dashboard(request):
    form, municipality, period = _params(request)
    tables, tiles = [], []
    if municipality is not None:
        data = results_selectors.cached_dashboard(municipality.pk, period)
        tables = results_presentation.dashboard_tables(data)
        tiles = results_presentation.kpi_tiles(data["kpi"])
    query = request.GET.copy()
    query.pop("tabel", None)
    query.pop("formaat", None)
    context = {"form": form, "municipality": municipality, "period": period, "threshold": SUPPRESS_BELOW,
               "tiles": tiles, "tables": [(table, presentation.cells(table)) for table in tables],
               "query": query.urlencode(), "export_url": "monitoring:dashboard-export", "formats": FORMATS,
               "previous": period.previous() if period else None}
    return render(request, "monitoring/dashboard.html", context)


@role_required(roles.SEES_AGGREGATES)
def dashboard_export(request):
    form, municipality, period = _params(request)
    if form.errors:
        return HttpResponseBadRequest(" ".join(str(m) for messages in form.errors.values() for m in messages),
                                      content_type="text/plain; charset=utf-8")
    if municipality is None:
        raise Http404
    tables = {t.key: t for t in results_presentation.dashboard_tables(
        results_selectors.cached_dashboard(municipality.pk, period))}
    key = request.GET.get("tabel") or next(iter(tables))
    fmt = request.GET.get("formaat") or "csv"
    if key not in tables or fmt not in FORMATS:
        raise Http404
    table, context = tables[key], _context_line(municipality, period)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table, context), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(table, context), content_type=exports.XLSX)
    else:
        from . import charts  # matplotlib loads on the first chart download

        response = HttpResponse(charts.render(table, fmt, subtitle=context), content_type=charts.FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; filename="dashboard-{key}-{municipality.cbs_code}-'
                                       f'{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"')
    return response
