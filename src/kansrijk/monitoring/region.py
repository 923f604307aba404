"""Region view: a labour-market region (``accounts.Region``, arbeidsmarktregio) sees its municipalities' caseload and
outflow figures side by side and added up, without seeing any person.

Who: ``roles.SEES_REGIONS`` and the region granted to the user (``User.regions``). An explicit grant rather than
"member of every municipality of the region": a regional analyst typically works for the central municipality and
must get the region's totals without access to the other municipalities' client files; the grant gives counts only.

What: the same definitions and the same functions as the municipal analysis (``analysis``), run on one frame of all
the region's spells read in one query, per municipality and for the region as a whole:

* inflow per year and how many are still active ("Sturen op bijstand", the ``totaal`` table);
* outflow per year to work and for other reasons;
* return to benefit within 6, 12 and 18 months.

Suppression: every cell as in the municipal analysis (fewer than 10 persons: ``None``). Across municipalities, the
municipalities of a row add up to the region's figure, so when exactly one municipality's value is hidden the
smallest other municipality's value is hidden too (the region's total stays: it is the figure the view is for).
"""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max

from kansrijk.accounts import roles
from kansrijk.accounts.models import Region
from kansrijk.caseload.models import BenefitSpell, ImportRun

from . import analysis, selectors

REGION = "regio"
# Per table: the row key and the counts that add up over the municipalities, each with the percentage derived from it.
TABLES = {
    "instroom": ("instroomjaar", {"n": None, "actief": "pct_actief"}),
    "uitstroom": ("uitstroomjaar", {"n": None, "werk": "pct_werk", "overig": "pct_overig"}),
    "terugkeer": ("maanden", {"n": None, "terug": "pct_terug"}),
}


def regions_for(user):
    if not user.has_role(roles.SEES_REGIONS):
        return Region.objects.none()
    return user.regions.order_by("code")


def region_for(user, code: str | None = None) -> Region | None:
    """The region with this code among the user's, or the user's first; None when not theirs."""
    regions = regions_for(user)
    return regions.filter(code=code).first() if code else regions.first()


def _parts(prepared: analysis.Prepared) -> dict[str, list[dict]]:
    df = prepared.frame
    totals = analysis.suppress_groups(analysis._counts(df, ["year"]), None) if len(df) else None
    reasons = analysis.outflow_reasons(prepared) if len(df) else []
    return {
        "instroom": analysis._rows(totals, {"instroomjaar": "year"}) if totals is not None else [],
        "uitstroom": [{k: r[k] for k in ("uitstroomjaar", "n", "werk", "pct_werk", "overig", "pct_overig")}
                      for r in reasons],
        "terugkeer": [{k: r[k] for k in ("maanden", "n", "terug", "pct_terug")}
                      for r in analysis.returns(prepared) if r["uitstroom"] == "totaal"] if len(df) else [],
    }


def combine(per_municipality: dict[str, dict[str, list[dict]]], region: dict[str, list[dict]]) -> dict:
    """Rows with the municipalities side by side and the region's figure, with the cross-municipality secondary
    suppression of the module docstring."""
    out = {}
    codes = list(per_municipality)
    for table, (key, counts) in TABLES.items():
        lookup = {code: {r[key]: r for r in per_municipality[code][table]} for code in codes}
        keys = sorted({r[key] for r in region[table]} | {k for code in codes for k in lookup[code]})
        rows = []
        for value in keys:
            cells = {}
            for code in codes:
                row = lookup[code].get(value)
                # No row: nobody in this municipality, a true zero.
                cells[code] = dict(row) if row else {name: 0 for name in counts} | {
                    pct: None for pct in counts.values() if pct}
                cells[code].pop(key, None)
            for name, pct in counts.items():
                hidden = [code for code in codes if cells[code][name] is None]
                if len(hidden) == 1 and len(codes) > 1:
                    shown = [code for code in codes if cells[code][name] is not None]
                    smallest = min(shown, key=lambda code: (cells[code][name], code))
                    cells[smallest][name] = None
                    if pct:
                        cells[smallest][pct] = None
                    if name == "n":  # a hidden base hides everything derived from it
                        cells[smallest] = {k: None for k in cells[smallest]}
            total = next((dict(r) for r in region[table] if r[key] == value), None)
            if total:
                total.pop(key)
            rows.append({key: value, "gemeenten": [{"gemeente": code, **cells[code]} for code in codes],
                         REGION: total})
        out[table] = rows
    return out


def region_analysis_from_frame(frame, municipalities: list[tuple[int, str]], peildatum: date) -> dict:
    """``municipalities``: (id, CBS code) in display order; ``frame`` from ``selectors.spell_frame`` with the
    municipality and the end reason."""
    ids = frame["municipality_id"].to_numpy() if len(frame) else []
    parts = {}
    for pk, code in municipalities:
        subset = frame[ids == pk] if len(frame) else frame
        parts[code] = _parts(analysis.prepare(subset, peildatum))
    return combine(parts, _parts(analysis.prepare(frame, peildatum)))


def data_version(municipality_ids: list[int]) -> str:
    """``selectors.data_version`` for several municipalities at once, in three queries whatever their number."""
    run = ImportRun.objects.filter(municipality_id__in=municipality_ids,
                                   status=ImportRun.Status.IMPORTED).aggregate(top=Max("id"))["top"]
    spells = BenefitSpell.objects.filter(municipality_id__in=municipality_ids).aggregate(n=Count("id"))["n"]
    top = BenefitSpell.objects.order_by("-id").values_list("id", flat=True).first()
    edits = cache.get_many([selectors.EDITS_KEY.format(pk) for pk in municipality_ids])
    return f"{run}-{spells}-{top}-{sum(edits.values())}"


def region_analysis(region: Region, peildatum: date, *, use_cache: bool = True) -> dict:
    municipalities = list(region.municipalities.order_by("cbs_code").values_list("id", "cbs_code", "name"))
    ids = [pk for pk, _code, _name in municipalities]

    def compute():
        frame = selectors.spell_frame(ids, with_end_reason=True, with_municipality=True)
        return region_analysis_from_frame(frame, [(pk, code) for pk, code, _name in municipalities], peildatum)

    header = {"regio": region.code, "naam": region.name,
              "gemeenten": [{"gemeente": code, "naam": name} for _pk, code, name in municipalities]}
    if not use_cache:
        return {**header, **compute()}
    key = f"monitoring:regio:{region.pk}:{','.join(map(str, ids))}:{peildatum.isoformat()}:{data_version(ids)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, selectors.CACHE_SECONDS)
    return {**header, **value}


# --- Tables (page, exports, charts) -------------------------------------------------------------------------------

def tables(result: dict):
    from django.utils.translation import gettext as _

    from .presentation import Table

    names = {m["gemeente"]: m["naam"] for m in result["gemeenten"]}
    region_name = result["naam"]
    specs = {
        "instroom": (_("Instroom per jaar en hoeveel nog actief zijn"), _("Instroomjaar"),
                     [("n", _("uitkeringen")), ("pct_actief", _("% nog actief"))],
                     [("n", _("Uitkeringen")), ("actief", _("Nog actief")), ("pct_actief", _("% nog actief"))],
                     "pct_actief", _("% nog actief")),
        "uitstroom": (_("Uitstroom per jaar: naar werk en om andere redenen"), _("Jaar van uitstroom"),
                      [("n", _("beëindigd")), ("pct_werk", _("% naar werk"))],
                      [("n", _("Beëindigd")), ("werk", _("Naar werk")), ("pct_werk", _("% naar werk")),
                       ("overig", _("Andere reden")), ("pct_overig", _("% andere reden"))],
                      "pct_werk", _("% naar werk")),
        "terugkeer": (_("Terug in de bijstand na 6, 12 en 18 maanden"), _("Termijn (maanden)"),
                      [("n", _("beëindigd")), ("pct_terug", _("% terug"))],
                      [("n", _("Beëindigd")), ("terug", _("Terug")), ("pct_terug", _("% terug"))],
                      "pct_terug", _("% terug in de bijstand")),
    }
    out = []
    for table, (title, key_label, muni_fields, region_fields, chart_field, y_label) in specs.items():
        key = TABLES[table][0]
        columns = [(key, key_label)]
        for code, name in names.items():
            columns += [(f"{code}:{field}", f"{name}: {label}") for field, label in muni_fields]
        columns += [(f"{REGION}:{field}", f"{region_name}: {label}") for field, label in region_fields]
        rows = []
        for r in result[table]:
            row = {key: r[key]}
            for cell in r["gemeenten"]:
                row.update({f"{cell['gemeente']}:{field}": cell.get(field) for field, _label in muni_fields})
            row.update({f"{REGION}:{field}": (r[REGION] or {}).get(field) for field, _label in region_fields})
            rows.append(row)
        labels = [r[key] for r in result[table]]
        datasets = [{"label": names[code], "data": [row.get(f"{code}:{chart_field}") for row in rows]}
                    for code in names]
        datasets.append({"label": region_name, "data": [row.get(f"{REGION}:{chart_field}") for row in rows]})
        out.append(Table(
            table, title,
            _("%(title)s, per gemeente naast elkaar en voor de regio %(region)s als geheel.")
            % {"title": title, "region": region_name},
            columns, rows,
            {"type": "line" if table == "instroom" else "bar", "labels": labels, "datasets": datasets,
             "y_label": y_label, "y_max": 100}))
    return out
