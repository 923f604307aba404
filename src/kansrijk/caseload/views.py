import csv
import io
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required
from kansrijk.audit.services import log_access, log_bulk_access

from . import selectors, services
from .api.viewsets import filters_from
from .forms import AssignmentForm, CaseloadFilterForm, ImportUploadForm
from .importing import ExportUnreadable, parse_export, write_rejected_csv
from .models import CauseCode, ClientSpecialCategories, ImportRun

PAGE_SIZE = 50


@role_required(roles.SEES_TEAM_CLIENTS)
def client_list(request):
    form = CaseloadFilterForm(request.GET or None, user=request.user,
                              households=selectors.household_options(user=request.user))
    filters = filters_from(request.GET)
    page = Paginator(selectors.caseload_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("pagina"))
    # Every name on the page is a view of personal data. A search is a chosen lookup; browsing the list shows what
    # the role's scope lists, which the unusual-access report leaves out (``audit.selectors.BROWSING_VIEWS``).
    log_bulk_access(user=request.user, clients=page.object_list, view="zoeken" if filters.q else "lijst")
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filters": filters}
    template = "caseload/_client_table.html" if request.headers.get("HX-Request") else "caseload/client_list.html"
    return render(request, template, context)


@role_required(roles.SEES_TEAM_CLIENTS)
def client_export(request):
    """The filtered caseload as CSV; every exported client gets an access record."""
    clients = list(selectors.caseload_list(user=request.user, filters=filters_from(request.GET))[:20000])
    log_bulk_access(user=request.user, clients=clients, view="export")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Cliëntnummer"), _("Voornamen"), _("Achternaam"), _("Geboortejaar"), _("Geslacht"),
                     _("Leefvorm"), _("Begin lopende uitkering"), _("Team"), _("Klantmanager")])
    for c in clients:
        writer.writerow([c.client_number, c.given_names, c.family_name, c.birth_year, c.get_sex_display(),
                         c.household, c.active_spell_start or "", c.team or "", c.client_manager or ""])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload.csv"'
    return response


def client_or_404(request, pk: int):
    """The client with this id in the user's scope (``selectors.client_detail``); out of scope is a 404, so a client of
    another team or municipality does not exist for the user. Shared by every page about one client."""
    client = selectors.client_detail(user=request.user, pk=pk)
    if client is None:
        raise Http404
    return client


@role_required(roles.SEES_TEAM_CLIENTS)
def client_detail(request, pk: int):
    client = client_or_404(request, pk)
    log_access(user=request.user, client=client, view="clientpagina")
    user = request.user
    context = {"client": client}
    if user.has_role(roles.SEES_INCOME_DATA):
        spells = selectors.spells_of(client)
        context.update(spells=spells, timeline=selectors.spell_timeline(spells))
    if user.has_role(roles.SEES_HEALTH | roles.SEES_ADDICTION | roles.SEES_ORIGIN):
        context["special"] = ClientSpecialCategories.objects.filter(client=client).first()
        context["sees_health"] = user.has_role(roles.SEES_HEALTH)
        context["sees_addiction"] = user.has_role(roles.SEES_ADDICTION)
        context["sees_origin"] = user.has_role(roles.SEES_ORIGIN)
    if user.has_role(roles.ASSIGNS_CLIENTS):
        context["assignment_form"] = AssignmentForm(
            user=user, initial={"team": client.team_id, "client_manager": client.client_manager_id})
    return render(request, "caseload/client_detail.html", context)


@require_POST
@role_required(roles.ASSIGNS_CLIENTS)
def client_assign(request, pk: int):
    client = client_or_404(request, pk)
    form = AssignmentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.assign_client(client=client, team=form.cleaned_data["team"],
                                   client_manager=form.cleaned_data["client_manager"], by=request.user)
            messages.success(request, _("De toewijzing is opgeslagen."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Kies een geldig team en een klantmanager uit dat team."))
    return redirect("caseload:client-detail", pk=pk)


# --- import (functional administrator) ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@role_required(roles.ADMINISTERS)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        path = services.store_upload(data, filename=upload.name)
        run = ImportRun.objects.create(
            municipality=form.cleaned_data["municipality"], uploaded_by=request.user, source="web",
            filename=upload.name, sha256=path.stem, stored_path=str(path), status=ImportRun.Status.PREVIEW)
        return redirect("caseload:import-preview", pk=run.pk)
    runs = ImportRun.objects.filter(municipality__in=request.user.municipalities.all()).select_related(
        "uploaded_by", "municipality")[:20]
    return render(request, "caseload/import_upload.html", {"form": form, "runs": runs})


def _pending_run(request, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun, pk=pk, status=ImportRun.Status.PREVIEW,
                             municipality__in=request.user.municipalities.all())


@role_required(roles.ADMINISTERS)
def import_preview(request, pk: int):
    """Validate the stored upload and show what the import would do, without writing."""
    run = _pending_run(request, pk)
    data = Path(run.stored_path).read_bytes()
    result = services.import_caseload(data=data, municipality=run.municipality, filename=run.filename,
                                      user=request.user, dry_run=True, skip_invalid=True)
    context = {"run": run, "result": result, "errors": [e.as_dict() for e in result.errors[:500]], "more_errors": len(result.errors) > 500,
               "preview": result.parsed.preview if result.parsed else [],
               "causes": dict(CauseCode.objects.values_list("code", "description"))}
    return render(request, "caseload/import_preview.html", context)


@require_POST
@role_required(roles.ADMINISTERS)
def import_confirm(request, pk: int):
    run = _pending_run(request, pk)
    data = Path(run.stored_path).read_bytes()
    skip_invalid = request.POST.get("mode") == "skip_invalid"
    result = services.import_caseload(data=data, municipality=run.municipality, filename=run.filename,
                                      user=request.user, source="web", skip_invalid=skip_invalid)
    _discard(run)
    if result.status == ImportRun.Status.REJECTED:
        messages.error(request, _("De import is afgewezen: er is niets opgeslagen. Herstel de fouten en probeer "
                                  "het opnieuw, of kies 'ongeldige rijen overslaan'."))
    else:
        messages.success(request, _("De import is voltooid."))
    return redirect("caseload:import-result", pk=result.run.pk)


@require_POST
@role_required(roles.ADMINISTERS)
def import_cancel(request, pk: int):
    run = _pending_run(request, pk)
    _discard(run)
    messages.info(request, _("De import is geannuleerd; er is niets opgeslagen."))
    return redirect("caseload:import-upload")


def _discard(run: ImportRun) -> None:
    run.status = ImportRun.Status.CANCELLED
    run.save(update_fields=["status"])
    if run.stored_path:
        Path(run.stored_path).unlink(missing_ok=True)


@role_required(roles.ADMINISTERS)
def import_result(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("uploaded_by", "municipality"), pk=pk,
                            municipality__in=request.user.municipalities.all())
    return render(request, "caseload/import_result.html", {"run": run})


@role_required(roles.ADMINISTERS)
def import_rejected_rows(request, pk: int):
    """The rows the preview rejects, as CSV with line numbers and reasons, to correct in the source system."""
    run = _pending_run(request, pk)
    try:
        parsed = parse_export(Path(run.stored_path).read_bytes(),
                              cause_codes=set(CauseCode.objects.values_list("code", flat=True)),
                              today=run.created_at.date())
    except ExportUnreadable as exc:
        parsed = None
        rows = [[e.line, e.column, e.message] for e in exc.errors]
    buffer = io.StringIO()
    if parsed is not None:
        write_rejected_csv(parsed, buffer)
    else:
        csv.writer(buffer, delimiter=";").writerows([["Regel", "Kolom", "Fout"], *rows])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afgewezen-regels-{run.pk}.csv"'
    return response


