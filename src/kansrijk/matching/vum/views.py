"""The VUM exchange page for the employer services team and the functional administrator: download the open
vacancies and the consented job-seeker profiles, upload a VUM file (check only, or import)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kansrijk.accounts import roles
from kansrijk.accounts.decorators import role_required

from . import documents, services
from .forms import VumImportForm
from .schemas import VACATURES, WERKZOEKENDEN

IMPORT_ROLES = {WERKZOEKENDEN: roles.IMPORTS_PROFILES, VACATURES: roles.EXCHANGES_VACANCIES}


def _municipality(request):
    """The user's municipality named by ``?gemeente=`` (CBS code), else their first one; None if they have none."""
    municipalities = request.user.municipalities.order_by("name")
    code = request.GET.get("gemeente")
    return municipalities.filter(cbs_code=code).first() if code else municipalities.first()


@require_http_methods(["GET", "POST"])
@role_required(roles.EXCHANGES_VUM)
def exchange(request):
    user = request.user
    form = VumImportForm(request.POST or None, request.FILES or None, user=user)
    summary = None
    dry_run = True
    if request.method == "POST" and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        try:
            document = documents.read_document(form.cleaned_data["file"].read(),
                                               kind=form.cleaned_data["soort"] or None)
        except documents.VumDocumentError as error:
            form.add_error("file", str(error))
        else:
            if not user.has_role(IMPORT_ROLES[document.kind]):
                form.add_error("file", _("Dit bestand bevat %(kind)s; die mag u met uw rol niet importeren.")
                               % {"kind": documents.KIND_LABELS[document.kind]})
            else:
                key = form.cleaned_data["sleutel"] or services.KEYS[0]
                summary = services.import_document(document, municipality=form.cleaned_data["municipality"],
                                                   user=user, dry_run=dry_run, key=key)
                if summary.ok and not dry_run:
                    messages.success(request, _("Het VUM-bestand is geïmporteerd."))
    municipality = _municipality(request)
    can_export_profiles = user.has_role(roles.EXPORTS_PROFILES)
    context = {
        "form": form, "summary": summary, "dry_run": dry_run, "municipality": municipality,
        "can_export_vacancies": user.has_role(roles.EXCHANGES_VACANCIES),
        "can_export_profiles": can_export_profiles,
        "consented": (services.consented_clients(municipality).count()
                      if can_export_profiles and municipality else None),
    }
    return render(request, "matching/vum_exchange.html", context)


def _download(document: dict, kind: str, municipality) -> HttpResponse:
    response = HttpResponse(documents.dumps(document), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="vum-{kind}-{municipality.cbs_code}-{stamp}.json"'
    return response


def _no_municipality():
    return HttpResponse(_("U bent aan geen gemeente gekoppeld."), status=400, content_type="text/plain; charset=utf-8")


@require_GET
@role_required(roles.EXCHANGES_VACANCIES)
def export_vacancies(request):
    municipality = _municipality(request)
    if municipality is None:
        return _no_municipality()
    return _download(services.export_vacancies(municipality=municipality), VACATURES, municipality)


@require_GET
@role_required(roles.EXPORTS_PROFILES)
def export_profiles(request):
    municipality = _municipality(request)
    if municipality is None:
        return _no_municipality()
    document = services.export_profiles(municipality=municipality, user=request.user)
    return _download(document, WERKZOEKENDEN, municipality)
