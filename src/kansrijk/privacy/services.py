"""Writes of the privacy operations: an answered access request and a pseudonymised export, each recorded with who
did it and when before anything leaves the system."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.audit.services import log_access

from . import pseudonymised
from .models import AccessRequest, PseudonymisedExport

MIN_PURPOSE_LENGTH = 20


@transaction.atomic
def record_access_request(*, client, by, reference: str, received_on: date, fmt: str) -> AccessRequest:
    """The request itself (an ``AccessRequest``, kept in the change history) and an access record of the file."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Vul het kenmerk van het verzoek in.")})
    if fmt not in AccessRequest.Format.values:
        raise ValidationError({"format": _("Kies PDF of HTML.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Een verzoek kan niet in de toekomst ontvangen zijn.")})
    log_access(user=by, client=client, view="inzageverzoek")
    return AccessRequest.objects.create(client=client, client_number=client.client_number, reference=reference[:100],
                                        received_on=received_on, format=fmt, produced_by=by)


@transaction.atomic
def record_pseudonymised_export(*, by, municipality, table: str, purpose: str) -> PseudonymisedExport:
    purpose = (purpose or "").strip()
    errors = {}
    if table not in pseudonymised.TABLES:
        errors["table"] = _("Kies een van de tabellen.")
    if len(purpose) < MIN_PURPOSE_LENGTH:
        errors["purpose"] = _("Beschrijf het doel van de analyse in minstens %(n)d tekens.") % {
            "n": MIN_PURPOSE_LENGTH}
    if errors:
        raise ValidationError(errors)
    return PseudonymisedExport.objects.create(exported_by=by, municipality=municipality, table=table,
                                              purpose=purpose,
                                              rows=pseudonymised.row_count(table, municipality.pk))
