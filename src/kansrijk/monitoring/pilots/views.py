"""Pilot pages (SEES_AGGREGATES): the list, defining a pilot, and a pilot with its latest evaluation (groups,
balance, effects with their intervals, a chart beside its table, the caveats in words) and its exports. Aggregates
only: no page here shows a person, so no access record."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.monitoring import exports
from kansrijk.monitoring.analysis import SUPPRESS_BELOW
from kansrijk.monitoring.selectors import municipality_for

from . import analysis, presentation, selectors, services
from .forms import PilotForm


def _pilot_or_404(request, pk):
    pilot = selectors.pilot_for(request.user, pk)
    if pilot is None:
        raise Http404
    return pilot


@role_required(roles.RUNS_PILOTS)
def pilot_list(request):
    pilots = list(selectors.pilots_for(request.user))
    return render(request, "monitoring/pilots/list.html", {"pilots": pilots})


@role_required(roles.RUNS_PILOTS)
def pilot_create(request):
    municipality = municipality_for(request.user)
    if municipality is None:
        raise Http404
    form = PilotForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pilot = services.create_pilot(municipality=municipality, by=request.user, approach=data["approach"],
                                      name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                      description=data["description"])
        messages.success(request, _("Pilot '%(name)s' is vastgelegd.") % {"name": pilot.name})
        return redirect("monitoring:pilot-detail", pk=pilot.pk)
    return render(request, "monitoring/pilots/form.html", {"form": form, "municipality": municipality})


@role_required(roles.RUNS_PILOTS)
def pilot_detail(request, pk):
    pilot = _pilot_or_404(request, pk)
    evaluation = pilot.evaluations.select_related("run_by").first()
    context = {"pilot": pilot, "evaluation": evaluation, "threshold": SUPPRESS_BELOW,
               "follow_up_end": selectors.follow_up_end(pilot), "months": analysis.FOLLOW_UP_MONTHS,
               "formats": ("csv", "xlsx"), "may_assess": request.user.role in roles.ASSESSES_APPROACHES}
    if evaluation is not None:
        results = evaluation.results
        context.update(
            tables=[(table, presentation.cells(table)) for table in presentation.tables(results)],
            caveats=presentation.caveat_texts(results), ladder_text=presentation.effect_ladder_text(results),
            ladder=results.get("effectladder") or {},
            sentences=[presentation.effect_sentence(key, results["effecten"][key])
                       for key in ("uitstroom", "uitstroom_werk", "trede")])
    return render(request, "monitoring/pilots/detail.html", context)


@require_POST
@role_required(roles.RUNS_PILOTS)
def pilot_evaluate(request, pk):
    pilot = _pilot_or_404(request, pk)
    try:
        services.evaluate_pilot(pilot=pilot, by=request.user)
    except analysis.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De evaluatie is uitgevoerd."))
    return redirect("monitoring:pilot-detail", pk=pilot.pk)


@role_required(roles.RUNS_PILOTS)
def pilot_export(request, pk):
    pilot = _pilot_or_404(request, pk)
    evaluation = pilot.evaluations.first()
    if evaluation is None:
        raise Http404
    tables = {table.key: table for table in presentation.tables(evaluation.results)}
    key = request.GET.get("tabel") or "effecten"
    fmt = request.GET.get("formaat") or "csv"
    if key not in tables or fmt not in ("csv", "xlsx"):
        raise Http404
    table = tables[key]
    table.rows = [dict(zip([k for k, _l in table.columns], line, strict=True)) for line in presentation.cells(table)]
    context = _("Pilot %(name)s, evaluatie van %(date)s. Aantallen onder de %(n)s personen zijn onderdrukt "
                "(<%(n)s).") % {
        "name": pilot.name, "date": evaluation.run_at.strftime("%d-%m-%Y"), "n": SUPPRESS_BELOW}
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table, context), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_xlsx(table, context), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="pilot-{pilot.pk}-{key}.{fmt}"'
    return response
