"""A client as a VUM ``Werkzoekende`` (WerkzoekendenProfielen 0.8.7), and a ``Werkzoekende`` back into the
client's job-seeker profile.

What leaves: the job-seeker profile (desired occupations and sectors, postcode, travel time, availability, the text
written for employers) and the work-related part of the latest current intake (education level, Dutch language
level, driving licence, hours per week, transport, work experience). What never leaves: name, BSN, client number,
birth year, sex, contact details, and anything of the special categories (health, addiction, origin) or derived from
them: ``eisAanWerk`` (adjustments, supervision) and ``indicatieLdrRegistratie`` (the Doelgroepregister records an
occupational disability) stay empty on purpose. Free-text intake fields other than work experience (wishes,
talents, notes) were written for the conversation, not for employers, and stay behind too.

``idWerkzoekende`` is a pseudonym: ``<CBS code>-`` and 32 hex digits of an HMAC-SHA256 over the municipality and the
client number, keyed with ``settings.KANSRIJK_VUM_PSEUDONYM_KEY`` (default: ``SECRET_KEY``). It is stable per client
and municipality, reveals nothing, and only this installation can link it back to the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from kansrijk.core.pseudonyms import keyed_digest

from . import codes


def pseudonym_key() -> bytes:
    return (getattr(settings, "KANSRIJK_VUM_PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()


def pseudonym(cbs_code: str, client_number: str, key: bytes | None = None) -> str:
    return f"{cbs_code}-{keyed_digest(key or pseudonym_key(), 'vum-werkzoekende', cbs_code, client_number)[:32]}"


# --- Export ----------------------------------------------------------------------------------------------------------


def werkzoekende(client, profile, intake, *, cbs_code: str, key: bytes | None = None) -> dict:
    """The ``Werkzoekende`` of ``client`` from its job-seeker profile and latest current intake (either may be None).
    Only fields with a value are written."""
    document: dict = {
        "idWerkzoekende": pseudonym(cbs_code, client.client_number, key),
        # Contact goes through the municipality's employer services, never straight to the client.
        "indicatieBeschikbaarheidContactgegevens": 2,
    }
    if profile is not None:
        if profile.summary:
            document["persoonlijkePresentatie"] = profile.summary[:2000]
        mobiliteit = {}
        if postcode := codes.vum_postcode(profile.home_postcode):
            mobiliteit["bemiddelingspostcode"] = postcode
        if profile.max_travel_minutes is not None:
            mobiliteit["maximaleReistijd"] = profile.max_travel_minutes
        if mobiliteit:
            document["mobiliteit"] = mobiliteit
        if profile.available_from:
            document["flexibiliteit"] = {"datumAanvangBeschikbaarVoorWerk": profile.available_from.isoformat()}
        sectors = [{"codeSbi": codes.SECTOR_SBI[s]} for s in profile.desired_sectors or [] if s in codes.SECTOR_SBI]
        if sectors:
            document["sector"] = sectors
        occupations = [{"naamBeroepOngecodeerd": line[:120]} for line in _lines(profile.desired_occupations)]
        if occupations:
            document["bemiddelingsberoep"] = occupations
    if intake is not None:
        if intake.hours_per_week is not None:
            document["werktijden"] = {"aantalWerkurenPerWeekMaximaal": min(intake.hours_per_week, 99)}
        if intake.transport in codes.VERVOERMIDDEL:
            document["vervoermiddel"] = [{"codeVervoermiddel": codes.VERVOERMIDDEL[intake.transport],
                                          "indicatieBeschikbaarVoorWoonWerkverkeer": 1}]
        kwalificatie = _arbeidsmarktkwalificatie(intake)
        if kwalificatie:
            document["arbeidsmarktkwalificatie"] = kwalificatie
    return document


def _arbeidsmarktkwalificatie(intake) -> dict:
    result: dict = {}
    if intake.education in codes.WERK_EN_DENKNIVEAU:
        result["codeWerkEnDenkniveauWerkzoekende"] = codes.WERK_EN_DENKNIVEAU[intake.education]
    levels = {
        "codeNiveauTaalbeheersingMondeling": intake.dutch_speaking,
        "codeNiveauTaalbeheersingSchriftelijk": intake.dutch_writing,
        "codeNiveauTaalbeheersingLezen": intake.dutch_reading,
        "codeNiveauTaalbeheersingLuisteren": intake.dutch_listening,
    }
    if any(levels.values()):
        result["taalbeheersing"] = [{"codeTaal": codes.DUTCH, **{name: codes.TAALBEHEERSING.get(level, 0)
                                                                 for name, level in levels.items()}}]
    if intake.driving_licence:
        # Kansrijk records whether the client has a driving licence, not its category; a car licence is by far the
        # most common and the one vacancies ask for.
        result["rijbewijs"] = [{"codeSoortRijbewijs": "B"}]
    if intake.work_experience.strip():
        result["werkervaring"] = [{"toelichtingWerkervaring": intake.work_experience.strip()[:2000]}]
    return result


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- Import ----------------------------------------------------------------------------------------------------------


@dataclass
class ProfileValues:
    """What a ``Werkzoekende`` says about the fields of a JobSeekerProfile; a field it does not carry is absent from
    ``values`` and stays as it is (a VUM document tells what the source knows, absence is not "empty")."""

    id: str
    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path below the item, message)
    notes: list[tuple[str, str]] = field(default_factory=list)


def profile_values(document: dict) -> ProfileValues:
    """Read a schema-valid ``Werkzoekende`` into JobSeekerProfile fields; Kansrijk's own limits become problems."""
    result = ProfileValues(document["idWerkzoekende"])
    if "persoonlijkePresentatie" in document:
        result.values["summary"] = document["persoonlijkePresentatie"]
    mobiliteit = document.get("mobiliteit") or {}
    if "bemiddelingspostcode" in mobiliteit:
        result.values["home_postcode"] = codes.vum_postcode(mobiliteit["bemiddelingspostcode"]) or ""
    if "maximaleReistijd" in mobiliteit:
        minutes = mobiliteit["maximaleReistijd"]
        if minutes > 240:
            result.problems.append(("mobiliteit.maximaleReistijd",
                                    f"{minutes} minuten is meer dan de 240 minuten die Kansrijk vastlegt"))
        else:
            result.values["max_travel_minutes"] = minutes
    available = (document.get("flexibiliteit") or {}).get("datumAanvangBeschikbaarVoorWerk")
    if available:
        result.values["available_from"] = date.fromisoformat(available)
    if "sector" in document:
        sectors = []
        for index, sector in enumerate(document["sector"]):
            if "codeSbi" not in sector:
                continue
            mapped = codes.sector_from_sbi(sector["codeSbi"])
            if mapped is None:
                result.notes.append((f"sector[{index}].codeSbi",
                                     f"SBI-code {sector['codeSbi']} hoort bij geen sector van Kansrijk; overgeslagen"))
            elif mapped not in sectors:
                sectors.append(mapped)
        result.values["desired_sectors"] = [str(s) for s in sectors]
    if "bemiddelingsberoep" in document:
        names = [occupation_name(beroep) for beroep in document["bemiddelingsberoep"]]
        result.values["desired_occupations"] = "\n".join(name for name in names if name)
    return result


def occupation_name(beroep: dict) -> str:
    return (beroep.get("naamBeroepOngecodeerd") or beroep.get("omschrijvingBeroepsnaam")
            or beroep.get("codeBeroepsnaam") or "").strip()
