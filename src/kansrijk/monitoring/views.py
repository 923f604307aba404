"""The analysis pages (SEES_AGGREGATES): the caseload analysis "Sturen op bijstand" and outflow and duration, each
table with its chart, and their exports (CSV, XLSX of a table; PNG, SVG of its chart). Aggregates only, so no
access record: no page here shows a person."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required

from . import exports, presentation, selectors
from .analysis import SUPPRESS_BELOW
from .forms import AnalysisForm

FORMATS = ("csv", "xlsx", "png", "svg")


def _params(request):
    """(form, municipality, peildatum); municipality is None when the input is wrong or the user has none."""
    municipalities = list(selectors.municipalities_for(request.user))
    form = AnalysisForm(request.GET or None, municipalities=municipalities)
    if request.GET and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if request.GET else {}
    peildatum = data.get("peildatum") or timezone.localdate()
    municipality = selectors.municipality_for(request.user, data.get("gemeente") or None)
    if not request.GET:
        form = AnalysisForm(initial={"peildatum": peildatum, "gemeente": getattr(municipality, "cbs_code", "")},
                            municipalities=municipalities)
    return form, municipality, peildatum


def _page(request, *, template: str, build, compute, export_name: str):
    form, municipality, peildatum = _params(request)
    tables = []
    if municipality is not None:
        tables = build(compute(municipality.pk, peildatum))
    query = request.GET.copy()
    query.pop("tabel", None)
    query.pop("formaat", None)
    context = {"form": form, "municipality": municipality, "peildatum": peildatum, "threshold": SUPPRESS_BELOW,
               "tables": [(table, presentation.cells(table)) for table in tables], "query": query.urlencode(),
               "export_url": export_name, "formats": FORMATS}
    return render(request, template, context)


def _export(request, *, build, compute, filename: str):
    form, municipality, peildatum = _params(request)
    if form.errors:
        return HttpResponseBadRequest(" ".join(str(m) for messages in form.errors.values() for m in messages),
                                      content_type="text/plain; charset=utf-8")
    if municipality is None:
        raise Http404
    tables = {table.key: table for table in build(compute(municipality.pk, peildatum))}
    key = request.GET.get("tabel") or next(iter(tables))
    fmt = request.GET.get("formaat") or "csv"
    if key not in tables or fmt not in FORMATS:
        raise Http404
    table = tables[key]
    context = _("%(municipality)s, peildatum %(date)s. Aantallen onder de %(n)s personen zijn onderdrukt (<%(n)s).") % {
        "municipality": municipality.name, "date": peildatum.strftime("%d-%m-%Y"), "n": SUPPRESS_BELOW}
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table, context), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(table, context), content_type=exports.XLSX)
    else:
        from . import charts  # matplotlib loads on the first chart download, not with every command's URL check

        response = HttpResponse(charts.render(table, fmt, subtitle=context), content_type=charts.FORMATS[fmt])
    response["Content-Disposition"] = (f'attachment; filename="{filename}-{key}-{municipality.cbs_code}-'
                                       f'{peildatum.isoformat()}.{fmt}"')
    return response


@role_required(roles.SEES_AGGREGATES)
def caseload(request):
    return _page(request, template="monitoring/caseload.html", build=presentation.caseload_tables,
                 compute=selectors.caseload_analysis, export_name="monitoring:caseload-export")


@role_required(roles.SEES_AGGREGATES)
def caseload_export(request):
    return _export(request, build=presentation.caseload_tables, compute=selectors.caseload_analysis,
                   filename="bijstandsbestand")


@role_required(roles.SEES_AGGREGATES)
def outflow(request):
    return _page(request, template="monitoring/outflow.html", build=presentation.outflow_tables,
                 compute=selectors.outflow_analysis, export_name="monitoring:outflow-export")


@role_required(roles.SEES_AGGREGATES)
def outflow_export(request):
    return _export(request, build=presentation.outflow_tables, compute=selectors.outflow_analysis,
                   filename="uitstroom")
