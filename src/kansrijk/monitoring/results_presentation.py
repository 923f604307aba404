"""The dashboard as tables with charts (``presentation.Table``): the KPIs with their trend, and the results per
approach, provider and team. The page, the exports and the server-side charts all read these."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .presentation import Table

KPI_ORDER = ("uitstroom_werk", "slagingspercentage", "in_beeld", "caseload", "tevredenheid")


def kpi_labels() -> dict[str, tuple[str, str]]:
    """(name, unit) per KPI."""
    return {
        "uitstroom_werk": (_("Uitstroom naar werk"), _("uitkeringen")),
        "slagingspercentage": (_("Slagingspercentage trajecten"), "%"),
        "in_beeld": (_("Cliënten in beeld"), "%"),
        "caseload": (_("Caseload per klantmanager"), _("cliënten (gemiddeld)")),
        "tevredenheid": (_("Tevredenheid cliënten"), _("gemiddeld cijfer")),
    }


def kpi_explanations(kpi: dict) -> dict[str, str]:
    """What each number is, in a sentence under its tile."""
    uit, slag, beeld, load, tevr = (kpi[k] for k in KPI_ORDER)
    out = {
        "uitstroom_werk": _("Uitkeringen die in de periode eindigden met werk als reden, van alle %(n)s beëindigde.")
        % {"n": uit["noemer"] if uit["noemer"] is not None else "<10"},
        "slagingspercentage": _("Van de %(n)s in de periode beëindigde trajecten: doel bereikt, werk gevonden of "
                                "uitgestroomd naar werk of opleiding.")
        % {"n": slag["noemer"] if slag["noemer"] is not None else "<10"},
        "in_beeld": _("Van de cliënten met een lopende uitkering en een contactritme: laatste contact binnen hun "
                      "ritme op %(date)s.") % {"date": beeld["peildatum"]},
        "caseload": _("Cliënten met een lopende uitkering per klantmanager (%(n)s klantmanagers; mediaan %(median)s, "
                      "laagste %(min)s, hoogste %(max)s).")
        % {"n": load["klantmanagers"], "median": _show(load["mediaan"]), "min": _show(load["minimum"]),
           "max": _show(load["maximum"])},
        "tevredenheid": _("Rapportcijfer (1–10) dat cliënten gaven bij het einde van hun traject; %(n)s cijfers.")
        % {"n": tevr["noemer"] if tevr["noemer"] is not None else "<10"},
    }
    return out


def _show(value):
    return "–" if value is None else value


def kpi_tiles(kpi: dict) -> list[dict]:
    labels, explanations = kpi_labels(), kpi_explanations(kpi)
    tiles = []
    for key in KPI_ORDER:
        item = kpi[key]
        name, unit = labels[key]
        change = item["verschil"]
        tiles.append({"key": key, "name": name, "unit": unit, "value": item["waarde"], "previous": item["vorige"],
                      "change": change, "direction": None if change is None else
                      ("up" if change > 0 else "down" if change < 0 else "same"),
                      "explanation": explanations[key]})
    return tiles


def kpi_table(kpi: dict) -> Table:
    labels = kpi_labels()
    rows = [{"indicator": labels[key][0], "eenheid": labels[key][1], "waarde": kpi[key]["waarde"],
             "vorige": kpi[key]["vorige"], "verschil": kpi[key]["verschil"]} for key in KPI_ORDER]
    shares = [key for key in KPI_ORDER if labels[key][1] == "%"]
    return Table(
        "kpi", _("Kerncijfers"),
        _("De kerncijfers van de periode %(start)s tot en met %(end)s en van de periode ervoor (%(pstart)s tot en "
          "met %(pend)s).") % {"start": kpi["periode"]["van"], "end": kpi["periode"]["tot_en_met"],
                               "pstart": kpi["vorige_periode"]["van"], "pend": kpi["vorige_periode"]["tot_en_met"]},
        [("indicator", _("Indicator")), ("eenheid", _("Eenheid")), ("waarde", _("Deze periode")),
         ("vorige", _("Vorige periode")), ("verschil", _("Verschil"))],
        rows,
        {"type": "bar", "labels": [labels[key][0] for key in shares], "y_label": "%", "y_max": 100,
         "datasets": [{"label": _("Deze periode"), "data": [kpi[key]["waarde"] for key in shares]},
                      {"label": _("Vorige periode"), "data": [kpi[key]["vorige"] for key in shares]}]})


def _columns(group_label: str) -> list[tuple[str, str]]:
    return [("groep", group_label), ("trajecten", _("Trajecten")), ("beeindigd", _("Beëindigd")),
            ("afgerond", _("Afgerond")), ("pct_afgerond", _("% afgerond")), ("uitval", _("Uitval")),
            ("pct_uitval", _("% uitval")), ("naar_werk", _("Naar werk")), ("pct_naar_werk", _("% naar werk")),
            ("gemeten_trede", _("Trede gemeten")), ("trede_verschil", _("Gem. verschil trede")),
            ("pct_trede_omhoog", _("% trede omhoog")), ("gemeten_zrm", _("ZRM gemeten")),
            ("zrm_verschil", _("Gem. verschil ZRM")), ("kosten_per_werk", _("Kosten per uitstroom naar werk (€)"))]


def results_tables(result: dict) -> list[Table]:
    titles = {
        "aanpak": (_("Resultaten per aanpak"), _("Aanpak")),
        "aanbieder": (_("Resultaten per aanbieder"), _("Aanbieder")),
        "team": (_("Resultaten per team"), _("Team")),
    }
    tables = []
    for key, (title, group_label) in titles.items():
        rows = [*result[key], result["totaal"]]
        shown = [r for r in result[key] if r["trajecten"] is not None]
        tables.append(Table(
            f"resultaten-{key}", title,
            _("Trajecten die in de periode liepen, per %(group)s: hoeveel er eindigden en hoe (afgerond, uitval, naar "
              "werk; percentages van de beëindigde), de gemiddelde verandering op de participatieladder en de ZRM "
              "(zonder de domeinen over gezondheid en middelengebruik) tussen begin en einde, en de kosten per "
              "uitstroom naar werk (menukaartprijs per deelnemer).") % {"group": group_label.lower()},
            _columns(group_label), rows,
            {"type": "bar", "labels": [r["groep"] for r in shown], "y_label": "%", "y_max": 100,
             "datasets": [{"label": _("% naar werk"), "data": [r["pct_naar_werk"] for r in shown]},
                          {"label": _("% uitval"), "data": [r["pct_uitval"] for r in shown]},
                          {"label": _("% afgerond"), "data": [r["pct_afgerond"] for r in shown]}]}))
    return tables


def dashboard_tables(dashboard: dict) -> list[Table]:
    return [kpi_table(dashboard["kpi"]), *results_tables(dashboard["resultaten"])]
