"""The analyses as tables and charts: one description per table (columns, rows) with the chart drawn from the same
rows. The page (Chart.js beside the table), the CSV/XLSX exports and the server-side PNG/SVG all read these, so a
chart never shows a number its table does not."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import analysis

SUPPRESSED = "<10"


@dataclass
class Table:
    key: str
    title: str
    caption: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    chart: dict = field(default_factory=dict)


def _years(rows: list[dict], key: str = "instroomjaar") -> list:
    return sorted({r[key] for r in rows})


def _line_by_group(rows: list[dict], value: str, x: str = "instroomjaar") -> tuple[list, list[dict]]:
    labels = _years(rows, x)
    groups = sorted({r["groep"] for r in rows}, key=_group_order)
    lookup = {(r[x], r["groep"]): r[value] for r in rows}
    return labels, [{"label": g, "data": [lookup.get((year, g)) for year in labels]} for g in groups]


def _group_order(group: str):
    return (analysis.AGE_CLASSES.index(group), "") if group in analysis.AGE_CLASSES else (9, group)


def caseload_tables(result: dict) -> list[Table]:
    pct_label = _("% nog actief")
    base = [("instroomjaar", _("Instroomjaar")), ("n", _("Aantal uitkeringen")), ("actief", _("Nog actief")),
            ("pct_actief", pct_label)]
    tables = [Table(
        "totaal", _("Instroom per jaar en hoeveel nog actief zijn"),
        _("Per instroomjaar: het aantal uitkeringen, hoeveel er op de peildatum nog lopen, en welk percentage."),
        base, result["totaal"],
        {"type": "line", "labels": _years(result["totaal"]), "y_label": pct_label, "y_max": 100,
         "datasets": [{"label": pct_label, "data": [r["pct_actief"] for r in result["totaal"]]}]})]
    titles = {
        "geslacht": (_("Nog actief per instroomjaar en geslacht"), _("Geslacht")),
        "leefvorm": (_("Nog actief per instroomjaar en leefvorm"), _("Leefvorm (bij de uitkering)")),
        "leeftijdsklasse": (_("Nog actief per instroomjaar en leeftijdsklasse"), _("Leeftijd bij instroom")),
        "oorzaak": (_("Nog actief per instroomjaar en oorzaak"), _("Oorzaak bijstandsafhankelijkheid")),
    }
    for key, (title, group_label) in titles.items():
        rows = result[key]
        labels, datasets = _line_by_group(rows, "pct_actief")
        tables.append(Table(
            key, title,
            _("Per instroomjaar en %(group)s: aantal uitkeringen, nog actief op de peildatum en het percentage.")
            % {"group": group_label.lower()},
            [base[0], ("groep", group_label), *base[1:]], rows,
            {"type": "line", "labels": labels, "datasets": datasets, "y_label": pct_label, "y_max": 100}))
    cross = result["actief_leeftijd_leefvorm"]
    households = sorted({r["leefvorm"] for r in cross})
    lookup = {(r["leeftijdsklasse"], r["leefvorm"]): r["n"] for r in cross}
    tables.append(Table(
        "actief_leeftijd_leefvorm", _("Lopende uitkeringen naar leeftijdsklasse en leefvorm"),
        _("Op de peildatum lopende uitkeringen, naar leeftijd bij instroom en leefvorm."),
        [("leeftijdsklasse", _("Leeftijd bij instroom")), ("leefvorm", _("Leefvorm")), ("n", _("Lopend"))], cross,
        {"type": "bar", "labels": analysis.AGE_CLASSES, "y_label": _("Lopende uitkeringen"),
         "datasets": [{"label": h, "data": [lookup.get((a, h)) for a in analysis.AGE_CLASSES]} for h in households]}))
    return tables


SEGMENT_TITLES = {
    "leeftijdsklasse": lambda: _("leeftijd bij instroom"),
    "leefvorm": lambda: _("leefvorm"),
    "geslacht": lambda: _("geslacht"),
    "instroomjaar": lambda: _("instroomjaar (laatste tien)"),
    "oorzaak": lambda: _("oorzaak bijstandsafhankelijkheid"),
}
SURVIVAL_MONTHS = (12, 24, 60)


def outflow_tables(result: dict) -> list[Table]:
    tables = []
    for segment, curves in result["overleving"].items():
        rows = []
        for curve in sorted(curves, key=lambda c: _group_order(c["groep"])):
            at = {p["maand"]: p["nog_in_uitkering"] for p in curve["punten"]}
            row = {"groep": curve["groep"], "n": curve["n"], "uitgestroomd": curve["uitgestroomd"],
                   "mediaan_maanden": curve["mediaan_maanden"], "mediaan_ci_laag": curve["mediaan_ci"][0],
                   "mediaan_ci_hoog": curve["mediaan_ci"][1]}
            for month in SURVIVAL_MONTHS:
                value = at.get(month)
                row[f"pct_na_{month}"] = None if value is None else round(100 * value, 2)
            rows.append(row)
        shown = [c for c in sorted(curves, key=lambda c: _group_order(c["groep"])) if c["punten"]]
        months = list(range(0, analysis.KM_GRID_MONTHS + 1, 1))
        datasets = []
        for curve in shown:
            at = {p["maand"]: round(100 * p["nog_in_uitkering"], 2) for p in curve["punten"]}
            datasets.append({"label": curve["groep"], "data": [at.get(m) for m in months]})
        name = SEGMENT_TITLES[segment]()
        tables.append(Table(
            f"overleving-{segment}", _("Duur tot uitstroom naar %(segment)s") % {"segment": name},
            _("Kaplan–Meier: het deel dat na zoveel maanden nog een uitkering heeft, naar %(segment)s. De mediane "
              "duur is de maand waarin de helft is uitgestroomd (‘niet bereikt’ als dat nog niet zo is), "
              "met het 95%%-betrouwbaarheidsinterval. Een lijn stopt waar minder dan 10 personen over zijn.")
            % {"segment": name},
            [("groep", name.capitalize()), ("n", _("Uitkeringen")), ("uitgestroomd", _("Uitgestroomd")),
             ("mediaan_maanden", _("Mediane duur (maanden)")), ("mediaan_ci_laag", _("95%-BI laag")),
             ("mediaan_ci_hoog", _("95%-BI hoog")),
             *[(f"pct_na_{m}", _("%% na %(months)s mnd") % {"months": m}) for m in SURVIVAL_MONTHS]],
            rows,
            {"type": "line", "labels": months, "datasets": datasets, "y_label": _("% nog in de uitkering"),
             "x_label": _("Maanden sinds de start"), "y_max": 100, "steps": True}))
    reasons = result["uitstroomredenen"]
    tables.append(Table(
        "uitstroomredenen", _("Uitstroom naar werk en om andere redenen"),
        _("Beëindigde uitkeringen per jaar van uitstroom, naar reden: werk, andere reden, reden onbekend."),
        [("uitstroomjaar", _("Jaar van uitstroom")), ("n", _("Beëindigd")), ("werk", _("Naar werk")),
         ("pct_werk", _("% werk")), ("overig", _("Andere reden")), ("pct_overig", _("% andere reden")),
         ("onbekend", _("Reden onbekend")), ("pct_onbekend", _("% onbekend"))],
        reasons,
        {"type": "bar", "stacked": True, "labels": [r["uitstroomjaar"] for r in reasons],
         "y_label": _("Beëindigde uitkeringen"),
         "datasets": [{"label": label, "data": [r[key] for r in reasons]} for key, label in
                      (("werk", _("Naar werk")), ("overig", _("Andere reden")), ("onbekend", _("Onbekend")))]}))
    back = result["terugkeer"]
    kinds = (("werk", _("Na uitstroom naar werk")), ("overig", _("Na andere uitstroom")), ("totaal", _("Alle")))
    lookup = {(r["maanden"], r["uitstroom"]): r["pct_terug"] for r in back}
    months = list(analysis.RETURN_MONTHS)
    tables.append(Table(
        "terugkeer", _("Terug in de bijstand na 6, 12 en 18 maanden"),
        _("Van de uitkeringen die minstens zoveel maanden vóór de peildatum eindigden: hoeveel cliënten binnen die "
          "termijn een nieuwe uitkering kregen (draaideur, het CBS-patroon)."),
        [("maanden", _("Termijn (maanden)")), ("uitstroom", _("Uitstroom")), ("n", _("Beëindigd")),
         ("terug", _("Terug")), ("pct_terug", _("% terug"))],
        back,
        {"type": "bar", "labels": [_("%(months)s maanden") % {"months": m} for m in months],
         "y_label": _("% terug in de bijstand"),
         "datasets": [{"label": label, "data": [lookup.get((m, key)) for m in months]} for key, label in kinds]}))
    return tables


MEDIAN_COLUMNS = {"mediaan_maanden", "mediaan_ci_laag", "mediaan_ci_hoog"}


def cells(table: Table) -> list[list]:
    """The rows as shown and exported: a suppressed value is "<10". A median the curve never reaches (fewer than
    half left the benefit) is "niet bereikt", an open confidence bound "–"; those are not suppression."""
    out = []
    for row in table.rows:
        line = []
        for key, _label in table.columns:
            value = row.get(key)
            if value is None and key in MEDIAN_COLUMNS and row.get("n") is not None:
                value = _("niet bereikt") if key == "mediaan_maanden" else "–"
            line.append(SUPPRESSED if value is None else value)
        out.append(line)
    return out
