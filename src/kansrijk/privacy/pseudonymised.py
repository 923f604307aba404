"""Pseudonymised person-level exports for analysis (policy analyst, ``roles.EXPORTS_PSEUDONYMISED``).

One row per benefit spell, ladder measurement or trajectory, keyed by ``core.pseudonyms.analysis_pseudonym``: an
HMAC-SHA256 of the client's internal id under ``PSEUDONYMISATION_KEY``, a key kept outside the database. The same
key gives the same pseudonym in every export, so an analyst links their own exports over time; without the key
nobody links a row back to a client, and no other export of Kansrijk carries the pseudonym.

What is left out, and why: name, BSN, client number, dossier number and internal id (identifying); every free text
(it may name people); special categories (health, addiction, origin: AVG art. 9; a trajectory's medical end
reason is given as ``overig``, a cause of dependency that tells of health, detention or origin as 39 "Andere
oorzaak"); address and postcode, team and client manager (small areas and small teams single
people out). Dates are given as year and month only, age as the birth year. Rows are not suppressed: a person-level
export is for analysts bound by a confidentiality agreement, and every export is recorded with who, when and the
purpose (``PseudonymisedExport``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kansrijk.caseload.models import BenefitSpell
from kansrijk.core.pseudonyms import analysis_key, analysis_pseudonym
from kansrijk.diagnosis.models import LadderMeasurement
from kansrijk.trajectories.codes import EndReason
from kansrijk.trajectories.models import Trajectory

CHUNK = 2000


def _month(value) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value else ""


def _spells(municipality_id: int) -> QuerySet:
    return (BenefitSpell.objects.filter(municipality_id=municipality_id).order_by("client_id", "original_start")
            .values_list("client_id", "client__birth_year", "client__sex", "household", "client__household",
                         "original_start", "end_date", "period_count", "cause__code"))


# Causes of benefit dependency (the municipal code list) that say something of health, detention or origin (AVG
# art. 9 and 10): given as 39 "Andere oorzaak" per person, like a medical end reason below; the aggregate analyses
# still count them under their own code.
# Not 11 "Einde Arb. dienstbetr./ZW": mostly the end of a job, the commonest cause, and no health fact about a person.
SENSITIVE_CAUSE_CODES = {
    15,  # Einde Uitk arbeidsongeschikth.
    21,  # Arb. dienstbetr./uitk. ziekte
    26,  # (Psych.)Inrichting
    32,  # Einde WIA - WAJONG
    25,  # Detentie
    4,  # Verhuizing vanuit buitenland
    16,  # Ink. asielzoekers/gedoogden
    43,  # Afkomstig van AZC/COA
}
OTHER_CAUSE_CODE = 39


def _spell_row(row) -> list:
    client_id, birth_year, sex, household, client_household, start, end, periods, cause = row
    cause = OTHER_CAUSE_CODE if cause in SENSITIVE_CAUSE_CODES else cause
    return [client_id, birth_year, sex, household or client_household, _month(start), _month(end), periods,
            cause or ""]


def _ladder(municipality_id: int) -> QuerySet:
    return (LadderMeasurement.objects.filter(client__municipality_id=municipality_id)
            .order_by("client_id", "measured_on", "pk")
            .values_list("client_id", "measured_on", "trede", "proposed_trede", "corrects_id"))


def _ladder_row(row) -> list:
    client_id, measured_on, trede, proposed, corrects = row
    return [client_id, _month(measured_on), trede, proposed or "", "ja" if corrects else "nee"]


def _trajectories(municipality_id: int) -> QuerySet:
    return (Trajectory.objects.filter(client__municipality_id=municipality_id).order_by("client_id", "accepted_on")
            .values_list("client_id", "referral__approach__slug", "srg_provision", "status", "accepted_on",
                          "start_on", "end_on", "end_reason", "dropout_reason", "result", "satisfaction"))


# End reasons that are health data (AVG art. 9): given as ``overig`` per person; the aggregate analyses still count
# them under their own code.
HEALTH_END_REASONS = {EndReason.MEDISCH}


def _trajectory_row(row) -> list:
    client_id, approach, srg, status, accepted, start, end, end_reason, dropout, result, satisfaction = row
    if end_reason in HEALTH_END_REASONS:
        end_reason = EndReason.OVERIG.value
    return [client_id, approach, srg, status, _month(accepted), _month(start), _month(end), end_reason, dropout,
            result, satisfaction if satisfaction is not None else ""]


# key: (label, headers after the pseudonym, queryset, row) — headers in Dutch, as the analyst reads them.
TABLES = {
    "uitkeringen": (_("Uitkeringsperioden"),
                    ["geboortejaar", "geslacht", "leefvorm", "begin_maand", "einde_maand", "aantal_perioden",
                     "oorzaak_code"], _spells, _spell_row),
    "treden": (_("Tredemetingen (Participatieladder)"),
               ["meting_maand", "trede", "voorgestelde_trede", "correctie"], _ladder, _ladder_row),
    "trajecten": (_("Trajecten en uitkomsten"),
                  ["aanpak", "srg_voorziening", "status", "geaccepteerd_maand", "start_maand", "einde_maand",
                   "reden_einde", "reden_uitval", "resultaat", "tevredenheid"], _trajectories, _trajectory_row),
}
TABLE_CHOICES = [(key, label) for key, (label, *_rest) in TABLES.items()]


def row_count(table: str, municipality_id: int) -> int:
    return TABLES[table][2](municipality_id).count()


def rows(table: str, municipality_id: int, key: bytes | None = None) -> Iterator[list]:
    """The header, then one list per row with the pseudonym in front of the internal id's place. The key is read
    once; rows come from the database in chunks, never all at once."""
    key = key if key is not None else analysis_key()
    _label, headers, queryset, to_row = TABLES[table]
    yield ["pseudoniem", *headers]
    cache: dict[int, str] = {}
    for row in queryset(municipality_id).iterator(chunk_size=CHUNK):
        values = to_row(row)
        client_id = values[0]
        if client_id not in cache:
            # Rows come ordered by client, so one entry suffices; the dict is cleared to keep memory flat.
            cache = {client_id: analysis_pseudonym(client_id, key)}
        yield [cache[client_id], *values[1:]]


def csv_lines(table: str, municipality_id: int, key: bytes | None = None) -> Iterator[str]:
    """``rows`` as CSV text (semicolon, UTF-8 with BOM for Excel), one chunk of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"
    for index, row in enumerate(rows(table, municipality_id, key)):
        writer.writerow(row)
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
