"""Privacy pages: answering an access request (inzageverzoek), the retention periods with the job's runs, and the
pseudonymised export for analysis. Every page that shows a client records the access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access, log_bulk_access
from kansrijk.catalogue.forms import apply_service_errors
from kansrijk.core.pseudonyms import analysis_key
from kansrijk.monitoring.selectors import municipalities_for

from . import access_request, documents, pseudonymised, retention, selectors, services
from .forms import AccessRequestForm, PseudonymisedExportForm
from .models import RecordType


@role_required(roles.HANDLES_ACCESS_REQUESTS)
def access_request_search(request):
    query = request.GET.get("zoek", "").strip()
    results = selectors.find_clients(request.user, query)
    if results:
        log_bulk_access(user=request.user, clients=results, view="inzageverzoek_zoeken")
    return render(request, "privacy/access_request_search.html", {"query": query, "results": results})


def file_response(file, fmt: str) -> HttpResponse:
    name = f"inzage-{file.client_number}-{timezone.localdate().isoformat()}"
    if fmt == "html":
        response = HttpResponse(documents.render_html(file), content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    else:
        response = HttpResponse(documents.render_pdf(file), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(roles.HANDLES_ACCESS_REQUESTS)
def access_request_client(request, pk: int):
    """The form for one client; a valid POST records the request and returns the whole file."""
    client = selectors.client_for_access_request(request.user, pk)
    if client is None:
        raise Http404
    form = AccessRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_access_request(client=client, by=request.user, reference=form.cleaned_data["reference"],
                                           received_on=form.cleaned_data["received_on"],
                                           fmt=form.cleaned_data["format"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return file_response(access_request.client_file(client), form.cleaned_data["format"])
    log_access(user=request.user, client=client, view="inzageverzoek_formulier")
    return render(request, "privacy/access_request_client.html", {
        "client": client, "form": form, "earlier": list(selectors.access_requests_of(client)[:20]),
    }, status=400 if request.method == "POST" else 200)


@role_required(roles.MANAGES_RETENTION)
def retention_overview(request):
    rules, runs = selectors.retention_overview()
    record_types = dict(RecordType.choices)
    for run in runs:
        run.lines = [(record_types.get(key, key), count) for key, count in run.counts.items()]
    return render(request, "privacy/retention.html", {"rules": rules, "runs": runs})


@require_POST
@role_required(roles.MANAGES_RETENTION)
def retention_dry_run(request):
    """Counts what the job would do today, without changing anything; the counts are kept as a dry-run record."""
    retention.apply_retention(dry_run=True, by=request.user)
    messages.success(request, _("De proefdraai is klaar; er is niets gewijzigd. De aantallen staan hieronder."))
    return redirect("privacy:retention")


@require_http_methods(["GET", "POST"])
@role_required(roles.EXPORTS_PSEUDONYMISED)
def pseudonymised_export(request):
    municipalities = list(municipalities_for(request.user))
    form = PseudonymisedExportForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = next(m for m in municipalities if m.cbs_code == form.cleaned_data["gemeente"])
        try:
            key = analysis_key()
        except ImproperlyConfigured:
            form.add_error(None, _("De sleutel voor pseudonimiseren (PSEUDONYMISATION_KEY) is niet ingesteld. "
                                   "Vraag de beheerder deze in te stellen."))
        else:
            try:
                services.record_pseudonymised_export(by=request.user, municipality=municipality,
                                                     table=form.cleaned_data["tabel"],
                                                     purpose=form.cleaned_data["doel"])
            except ValidationError as exc:
                apply_service_errors(form, exc, field_map={"purpose": "doel", "table": "tabel"})
            else:
                return streaming_csv(form.cleaned_data["tabel"], municipality, key)
    return render(request, "privacy/pseudonymised_export.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def streaming_csv(table: str, municipality, key: bytes) -> StreamingHttpResponse:
    response = StreamingHttpResponse(pseudonymised.csv_lines(table, municipality.pk, key),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="gepseudonimiseerd-{table}-{municipality.cbs_code}-'
                                       f'{timezone.localdate().isoformat()}.csv"')
    return response
