"""The region view (SEES_REGIONS, and only the user's own regions): the municipalities' caseload and outflow figures
side by side and the region's total, with exports. Aggregates only, so no access record."""

from __future__ import annotations

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required

from . import presentation, region
from .analysis import SUPPRESS_BELOW
from .forms_fairness import RegionForm
from .views import FORMATS
from .views_fairness import download


def _params(request):
    """(form, region, peildatum). An unknown region, or one not granted to the user, is a 404: whether it exists is
    not the user's business."""
    regions = list(region.regions_for(request.user))
    form = RegionForm(request.GET or None, regions=regions)
    code = request.GET.get("regio")
    if code and code not in {r.code for r in regions}:
        raise Http404
    if request.GET and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if request.GET else {}
    peildatum = data.get("peildatum") or timezone.localdate()
    chosen = region.region_for(request.user, data.get("regio") or None)
    if not request.GET:
        form = RegionForm(initial={"peildatum": peildatum, "regio": getattr(chosen, "code", "")}, regions=regions)
    return form, chosen, peildatum


@role_required(roles.SEES_REGIONS)
def region_page(request):
    form, chosen, peildatum = _params(request)
    result, tables = None, []
    if chosen is not None:
        result = region.region_analysis(chosen, peildatum)
        tables = region.tables(result)
    query = request.GET.copy()
    query.pop("tabel", None)
    query.pop("formaat", None)
    return render(request, "monitoring/region.html", {
        "form": form, "region": chosen, "result": result, "peildatum": peildatum, "threshold": SUPPRESS_BELOW,
        "tables": [(table, presentation.cells(table)) for table in tables], "query": query.urlencode(),
        "export_url": "monitoring:region-export", "formats": FORMATS})


@role_required(roles.SEES_REGIONS)
def region_export(request):
    form, chosen, peildatum = _params(request)
    if form.errors:
        return HttpResponseBadRequest(" ".join(str(m) for messages in form.errors.values() for m in messages),
                                      content_type="text/plain; charset=utf-8")
    if chosen is None:
        raise Http404
    tables = {table.key: table for table in region.tables(region.region_analysis(chosen, peildatum))}
    key = request.GET.get("tabel") or next(iter(tables))
    fmt = request.GET.get("formaat") or "csv"
    if key not in tables or fmt not in FORMATS:
        raise Http404
    context = _("Arbeidsmarktregio %(region)s, peildatum %(date)s. Aantallen onder de %(n)s personen zijn onderdrukt "
                "(<%(n)s).") % {"region": chosen.name, "date": peildatum.strftime("%d-%m-%Y"), "n": SUPPRESS_BELOW}
    return download(tables[key], fmt, context, f"regio-{key}-{chosen.code}-{peildatum.isoformat()}.{fmt}")
