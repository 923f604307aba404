"""Code tables between Kansrijk's choices and the VUM/SGR code lists. Where the VUM list is coarser than Kansrijk's
the mapping loses detail one way (e.g. both A1 and A2 are "redelijk"); the tables say which value comes back."""

from __future__ import annotations

import re

from kansrijk.diagnosis.models import Education, LanguageLevel, Transport

from ..models import Sector

# codeWerkEnDenkniveau(Werkzoekende|Minimaal): 1 geen basisopleiding, 2 basisniveau, 3 vmbo, 4 mbo/havo/vwo, 5 hbo,
# 6 wo, 7 (nog) niet bekend. A foreign diploma that is not valued is "not yet known".
WERK_EN_DENKNIVEAU = {
    Education.GEEN: 1, Education.BASIS: 2, Education.VMBO: 3, Education.MBO: 4, Education.HAVO_VWO: 4,
    Education.HBO: 5, Education.WO: 6, Education.BUITENLAND: 7,
}
EDUCATION_FROM_NIVEAU = {1: Education.GEEN, 2: Education.BASIS, 3: Education.VMBO, 4: Education.MBO,
                         5: Education.HBO, 6: Education.WO}
# Opleiding.codeNiveauOpleiding: 1 basisonderwijs, 2 vmbo, 3 havo/vwo, 4 mbo, 5 hbo, 6 wo. Written next to the
# werk-en-denkniveau so that mbo and havo/vwo (both niveau 4) come back apart.
OPLEIDINGSNIVEAU = {Education.BASIS: 1, Education.VMBO: 2, Education.HAVO_VWO: 3, Education.MBO: 4, Education.HBO: 5,
                    Education.WO: 6}
EDUCATION_FROM_OPLEIDINGSNIVEAU = {code: education for education, code in OPLEIDINGSNIVEAU.items()}

# Taalbeheersing: 0 onbekend, 1 geen beheersing, 2 redelijk, 3 goed, 4 uitstekend. Coming back, a level is the lowest
# CEFR level that earns it, so a requirement never becomes stricter than it was.
TAALBEHEERSING = {
    LanguageLevel.A0: 1, LanguageLevel.A1: 2, LanguageLevel.A2: 2, LanguageLevel.B1: 3, LanguageLevel.B2: 3,
    LanguageLevel.C1: 4, LanguageLevel.C2: 4,
}
LEVEL_FROM_TAALBEHEERSING = {1: LanguageLevel.A0, 2: LanguageLevel.A1, 3: LanguageLevel.B1, 4: LanguageLevel.C1}
DUTCH = "nld"  # ISO 639-3

# Vervoermiddel.codeVervoermiddel: 1 auto, 2 bromfiets, 3 fiets, 4 motor, 5 openbaar vervoer.
VERVOERMIDDEL = {Transport.AUTO: 1, Transport.FIETS: 3, Transport.OV: 5}

# A broad sector as one SBI division (CBS Standaard Bedrijfsindeling), and back from any SBI code by its division.
# Every sector has one (overig: 96, other personal services), else an export silently drops it.
SECTOR_SBI = {
    Sector.ZORG_WELZIJN: 86, Sector.TECHNIEK: 43, Sector.LOGISTIEK: 49, Sector.HANDEL: 47, Sector.HORECA: 56,
    Sector.GROEN: 1, Sector.ICT: 62, Sector.ZAKELIJK: 82, Sector.SCHOONMAAK: 81, Sector.OVERHEID: 84,
    Sector.OVERIG: 96,
}
SBI_DIVISIONS = [
    (range(1, 4), Sector.GROEN), (range(5, 44), Sector.TECHNIEK), (range(45, 48), Sector.HANDEL),
    (range(49, 54), Sector.LOGISTIEK), (range(55, 57), Sector.HORECA), (range(58, 64), Sector.ICT),
    (range(81, 82), Sector.SCHOONMAAK), (range(64, 83), Sector.ZAKELIJK), (range(84, 86), Sector.OVERHEID),
    (range(86, 89), Sector.ZORG_WELZIJN), (range(90, 100), Sector.OVERIG),
]


def sector_from_sbi(code: int) -> str | None:
    """The sector of an SBI code given as a division (2 digits) or a (sub)class (4 or 5 digits)."""
    division = code // 1000 if code >= 10000 else code // 100 if code >= 1000 else code
    for divisions, sector in SBI_DIVISIONS:
        if division in divisions:
            return sector
    return None


POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")


def vum_postcode(postcode: str) -> str | None:
    """A Dutch postcode as VUM writes it (``1234AB``), or None if it is not one."""
    match = POSTCODE.match(postcode or "")
    if not match or match.group(2).upper() in ("SA", "SD", "SS"):
        return None
    return f"{match.group(1)}{match.group(2).upper()}"


def url_for_vum(url: str) -> str | None:
    """A website as the VUM url pattern accepts it, or None."""
    if re.fullmatch(r"(?:https?://)?[^./]+(?:\.[^./]+)+(?:/.*)?", url or ""):
        return url
    return None


def url_from_vum(url: str) -> str:
    return url if re.match(r"https?://", url, re.IGNORECASE) else f"https://{url}"
