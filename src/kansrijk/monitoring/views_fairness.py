"""The fairness report page (SEES_AGGREGATES; origin only for SEES_ORIGIN_AGGREGATES) and its exports. Aggregates
only, so no access record: nothing here shows a person."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required

from . import exports, fairness, fairness_selectors, presentation, selectors
from .analysis import SUPPRESS_BELOW
from .forms_fairness import FairnessForm, default_period
from .views import FORMATS


def _params(request):
    """(form, municipality, start, end); municipality is None when the input is wrong or the user has none."""
    municipalities = list(selectors.municipalities_for(request.user))
    form = FairnessForm(request.GET or None, municipalities=municipalities)
    if request.GET and not form.is_valid():
        return form, None, None, None
    data = form.cleaned_data if request.GET else {}
    start, end = default_period(data.get("van"), data.get("tot"))
    municipality = selectors.municipality_for(request.user, data.get("gemeente") or None)
    if not request.GET:
        form = FairnessForm(initial={"van": start, "tot": end, "gemeente": getattr(municipality, "cbs_code", "")},
                            municipalities=municipalities)
    return form, municipality, start, end


def _report(request, municipality, start, end) -> dict:
    return fairness_selectors.fairness_for(municipality.pk, start, end,
                                           with_origin=request.user.has_role(roles.SEES_ORIGIN_AGGREGATES))


@role_required(roles.SEES_AGGREGATES)
def fairness_page(request):
    form, municipality, start, end = _params(request)
    result, tables = None, []
    if municipality is not None:
        result = _report(request, municipality, start, end)
        tables = fairness.tables(result)
    query = request.GET.copy()
    query.pop("tabel", None)
    query.pop("formaat", None)
    labels = {o.key: _(o.label) for o in fairness.OUTCOMES}
    signals = [{**s, "uitkomst_label": labels[s["uitkomst"]]} for s in (result or {}).get("signalen", [])]
    return render(request, "monitoring/fairness.html", {
        "form": form, "municipality": municipality, "start": start, "end": end, "threshold": SUPPRESS_BELOW,
        "tables": [(table, presentation.cells(table)) for table in tables], "query": query.urlencode(),
        "export_url": "monitoring:fairness-export", "formats": FORMATS, "signals": signals,
        "with_origin": request.user.has_role(roles.SEES_ORIGIN_AGGREGATES)})


@role_required(roles.SEES_AGGREGATES)
def fairness_export(request):
    form, municipality, start, end = _params(request)
    if form.errors:
        return HttpResponseBadRequest(" ".join(str(m) for messages in form.errors.values() for m in messages),
                                      content_type="text/plain; charset=utf-8")
    if municipality is None:
        raise Http404
    tables = {table.key: table for table in fairness.tables(_report(request, municipality, start, end))}
    key = request.GET.get("tabel") or next(iter(tables))
    fmt = request.GET.get("formaat") or "csv"
    if key not in tables or fmt not in FORMATS:
        raise Http404
    context = _("%(municipality)s, periode %(start)s tot en met %(end)s. Aantallen onder de %(n)s personen zijn "
                "onderdrukt (<%(n)s).") % {"municipality": municipality.name, "start": start.strftime("%d-%m-%Y"),
                                            "end": end.strftime("%d-%m-%Y"), "n": SUPPRESS_BELOW}
    return download(tables[key], fmt, context,
                    f"eerlijkheid-{key}-{municipality.cbs_code}-{start.isoformat()}-{end.isoformat()}.{fmt}")


def download(table, fmt: str, context: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table, context), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(table, context), content_type=exports.XLSX)
    else:
        from . import charts  # matplotlib loads on the first chart download

        response = HttpResponse(charts.render(table, fmt, subtitle=context), content_type=charts.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
