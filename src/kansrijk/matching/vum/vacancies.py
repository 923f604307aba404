"""A vacancy as a VUM ``Vacature`` (Vacatures 0.8.2), and a ``Vacature`` back into a vacancy and its employer.

Mapped both ways: idVacature (``external_id``, or ``kansrijk-<CBS code>-<id>`` for a vacancy made in Kansrijk),
naamVacature (title), omschrijvingVacature (description), beroep (occupation and its BO&C code), sector,
werktijden (hours per week), rijbewijs (driving licence required → B), taalbeheersing ``nld`` (Dutch minimum),
codeWerkEnDenkniveauMinimaal plus opleiding.codeNiveauOpleiding (minimum education), indicatieLdrRegistratie
(a banenafspraak vacancy is one for people in the Doelgroepregister), sluitingsDatumVacature (closing date), and the
werkgever: trade name, website, SBI sector, the establishment address (adresHouding ``V``) and the work location
(adresHouding ``E``, the vacancy's postcode and place). Not in the standard, so not exchanged: places, physical
demand, instruments, public transport, travel note, other requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import codes

GENERATED_ID = re.compile(r"^kansrijk-(?P<cbs>[0-9A-Za-z]+)-(?P<pk>[1-9][0-9]{0,17})$")
ESTABLISHMENT = "V"  # vestigingsadres
WORK_LOCATION = "E"  # werklocatieadres


def vacancy_id(vacancy, cbs_code: str) -> str:
    return vacancy.external_id or f"kansrijk-{cbs_code}-{vacancy.pk}"


def vacature(vacancy, *, cbs_code: str) -> dict:
    employer = vacancy.employer
    document: dict = {"idVacature": vacancy_id(vacancy, cbs_code), "naamVacature": vacancy.title}
    if vacancy.description:
        document["omschrijvingVacature"] = vacancy.description[:2000]
    if vacancy.education_min in codes.WERK_EN_DENKNIVEAU:
        document["codeWerkEnDenkniveauMinimaal"] = str(codes.WERK_EN_DENKNIVEAU[vacancy.education_min])
        if vacancy.education_min in codes.OPLEIDINGSNIVEAU:
            document["opleiding"] = [{"codeNiveauOpleiding": codes.OPLEIDINGSNIVEAU[vacancy.education_min]}]
    document["indicatieLdrRegistratie"] = 1 if vacancy.banenafspraak else 2
    if vacancy.closes_on:
        document["sluitingsDatumVacature"] = vacancy.closes_on.isoformat()
    werkgever: dict = {"handelsnaamOrganisatie": employer.name}
    if url := codes.url_for_vum(employer.website):
        werkgever["webadres"] = [{"codeWebadres": 3, "url": url}]
    addresses = []
    if employer.postcode or employer.place or employer.address:
        addresses.append(_address(ESTABLISHMENT, employer.postcode, employer.place, employer.address))
    if vacancy.postcode or vacancy.place:
        addresses.append(_address(WORK_LOCATION, vacancy.postcode, vacancy.place, ""))
    if addresses:
        werkgever["adresHouding"] = addresses
    if employer.sector in codes.SECTOR_SBI:
        werkgever["sector"] = [{"codeSbi": codes.SECTOR_SBI[employer.sector]}]
    document["werkgever"] = werkgever
    if vacancy.sector in codes.SECTOR_SBI:
        document["sector"] = {"codeSbi": codes.SECTOR_SBI[vacancy.sector]}
    if vacancy.occupation_code:
        document["beroep"] = {"codeBeroepsnaam": vacancy.occupation_code,
                              "omschrijvingBeroepsnaam": vacancy.occupation[:120]}
    elif vacancy.occupation:
        document["beroep"] = {"naamBeroepOngecodeerd": vacancy.occupation[:120]}
    hours = {}
    if vacancy.hours_min is not None:
        hours["aantalWerkurenPerWeekMinimaal"] = vacancy.hours_min
    if vacancy.hours_max is not None:
        hours["aantalWerkurenPerWeekMaximaal"] = vacancy.hours_max
    if hours:
        document["werktijden"] = hours
    if vacancy.driving_licence_required:
        document["rijbewijs"] = [{"codeSoortRijbewijs": "B"}]
    if vacancy.dutch_min in codes.TAALBEHEERSING:
        level = codes.TAALBEHEERSING[vacancy.dutch_min]
        document["taalbeheersing"] = [{
            "codeTaal": codes.DUTCH, "codeNiveauTaalbeheersingMondeling": level,
            "codeNiveauTaalbeheersingSchriftelijk": level, "codeNiveauTaalbeheersingLezen": level,
            "codeNiveauTaalbeheersingLuisteren": level}]
    return document


def _address(function: str, postcode: str, place: str, street: str) -> dict:
    address: dict = {}
    if normalised := codes.vum_postcode(postcode):
        address["postcode"] = normalised
    if place:
        address["woonplaatsnaam"] = place[:80]
    if street:
        address["locatieomschrijving"] = street[:70]
    return {"codeFunctieAdres": function, "adres": {"adresNederland": address}}


# --- Import ----------------------------------------------------------------------------------------------------------


@dataclass
class VacancyValues:
    """A schema-valid ``Vacature`` read into Vacancy and Employer fields, with Kansrijk's own limits as problems
    (each ``(path below the item, message)``)."""

    id: str
    vacancy: dict = field(default_factory=dict)
    employer: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def vacancy_values(document: dict) -> VacancyValues:
    result = VacancyValues((document.get("idVacature") or "").strip())
    problems = result.problems
    if not result.id:
        problems.append(("idVacature", "verplicht voor een import: zonder kenmerk vindt een volgende import de "
                                       "vacature niet terug"))
    title = (document.get("naamVacature") or "").strip()
    if not title:
        problems.append(("naamVacature", "verplicht: een vacature in Kansrijk heeft een naam"))
    values = result.vacancy
    values["title"] = title
    values["description"] = document.get("omschrijvingVacature", "")
    values["education_min"] = _education(document)
    values["banenafspraak"] = document.get("indicatieLdrRegistratie") == 1
    closes = document.get("sluitingsDatumVacature")
    values["closes_on"] = date.fromisoformat(closes) if closes else None
    values["sector"] = _sector(document.get("sector"), "sector.codeSbi", result)
    beroep = document.get("beroep") or {}
    values["occupation_code"] = (beroep.get("codeBeroepsnaam") or "").strip()
    values["occupation"] = (beroep.get("omschrijvingBeroepsnaam") or beroep.get("naamBeroepOngecodeerd") or "").strip()
    hours = document.get("werktijden") or {}
    values["hours_min"] = hours.get("aantalWerkurenPerWeekMinimaal")
    values["hours_max"] = hours.get("aantalWerkurenPerWeekMaximaal")
    for name, value in (("aantalWerkurenPerWeekMinimaal", values["hours_min"]),
                        ("aantalWerkurenPerWeekMaximaal", values["hours_max"])):
        if value is not None and value > 60:
            problems.append((f"werktijden.{name}", f"{value} uur per week is meer dan de 60 die Kansrijk vastlegt"))
    low, high = values["hours_min"], values["hours_max"]
    if low is not None and high is not None and low > high:
        problems.append(("werktijden", "het minimum aantal uren is groter dan het maximum"))
    values["driving_licence_required"] = bool(document.get("rijbewijs"))
    values["dutch_min"] = _dutch_min(document.get("taalbeheersing") or [])
    werkgever = document.get("werkgever") or {}
    name = (werkgever.get("handelsnaamOrganisatie") or "").strip()
    if not name:
        problems.append(("werkgever.handelsnaamOrganisatie", "verplicht: een vacature in Kansrijk hoort bij een "
                                                             "werkgever"))
    elif len(name) > 200:
        problems.append(("werkgever.handelsnaamOrganisatie", f"de naam is {len(name)} tekens lang; Kansrijk legt "
                                                             "hoogstens 200 tekens vast"))
    result.employer["name"] = name
    for webadres in werkgever.get("webadres") or []:
        if webadres.get("url"):
            result.employer["website"] = codes.url_from_vum(webadres["url"])[:200]
            break
    sectors = werkgever.get("sector") or []
    if sectors:
        result.employer["sector"] = _sector(sectors[0], "werkgever.sector[0].codeSbi", result)
    values["postcode"], values["place"] = "", ""
    for index, houding in enumerate(werkgever.get("adresHouding") or []):
        address = ((houding.get("adres") or {}).get("adresNederland")) or {}
        postcode = codes.vum_postcode(address.get("postcode") or "") or ""
        place = (address.get("woonplaatsnaam") or "")[:100]
        if houding.get("codeFunctieAdres") == WORK_LOCATION:
            values["postcode"], values["place"] = postcode, place
        elif houding.get("codeFunctieAdres") == ESTABLISHMENT:
            street = _street(address)
            result.employer.update({key: value for key, value in
                                    (("postcode", postcode), ("place", place), ("address", street)) if value})
        elif address:
            result.notes.append((f"werkgever.adresHouding[{index}]", "adres zonder functie V (vestiging) of E "
                                                                     "(werklocatie); overgeslagen"))
    return result


def _education(document: dict) -> str:
    for opleiding in document.get("opleiding") or []:
        education = codes.EDUCATION_FROM_OPLEIDINGSNIVEAU.get(opleiding.get("codeNiveauOpleiding"))
        if education and codes.WERK_EN_DENKNIVEAU[education] == int(document.get("codeWerkEnDenkniveauMinimaal")
                                                                    or codes.WERK_EN_DENKNIVEAU[education]):
            return education
    niveau = document.get("codeWerkEnDenkniveauMinimaal")
    return codes.EDUCATION_FROM_NIVEAU.get(int(niveau), "") if niveau else ""


def _dutch_min(taalbeheersing: list) -> str:
    for language in taalbeheersing:
        if language.get("codeTaal") != codes.DUTCH:
            continue
        levels = [language.get(name) for name in ("codeNiveauTaalbeheersingMondeling",
                                                  "codeNiveauTaalbeheersingSchriftelijk",
                                                  "codeNiveauTaalbeheersingLezen",
                                                  "codeNiveauTaalbeheersingLuisteren")]
        known = [level for level in levels if level in codes.LEVEL_FROM_TAALBEHEERSING]
        # One minimum for all four skills: the lowest level asked, so Kansrijk asks no more than the vacancy does.
        return codes.LEVEL_FROM_TAALBEHEERSING[min(known)] if known else ""
    return ""


def _sector(sector, path: str, result: VacancyValues) -> str:
    if not sector or "codeSbi" not in sector:
        return ""
    mapped = codes.sector_from_sbi(sector["codeSbi"])
    if mapped is None:
        result.notes.append((path, f"SBI-code {sector['codeSbi']} hoort bij geen sector van Kansrijk; overgeslagen"))
        return ""
    return str(mapped)


def _street(address: dict) -> str:
    details = (address.get("adresDetails") or {}).get("straatadres") or {}
    if details:
        parts = [details.get("naamOpenbareRuimte") or details.get("straatnaam") or "",
                 str(details.get("huisnummer") or ""), details.get("huisletter") or "",
                 details.get("huisnummertoevoeging") or ""]
        street = " ".join(part for part in parts if part)
        if street:
            return street[:200]
    return (address.get("locatieomschrijving") or "")[:200]
