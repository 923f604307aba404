"""Loads the shipped code list 'oorzaak bijstandsafhankelijkheid' (caseload/data/), so every installation has it."""

import csv
from datetime import date
from pathlib import Path

from django.db import migrations

CODE_LIST = Path(__file__).resolve().parent.parent / "data" / "oorzaak-bijstandsafhankelijkheid.csv"


def _int(value):
    return int(value) if value and value.strip() else None


def load(apps, schema_editor):
    CauseCode = apps.get_model("caseload", "CauseCode")
    with CODE_LIST.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CauseCode.objects.update_or_create(
                code=int(row["Code oorzaak bijstandsafhankelijkheid"]),
                defaults={
                    "description": row["Omschrijving oorzaak bijstandsafhankelijkheid"].strip(),
                    "status": int(row["Status record"]),
                    "status_date": date.fromisoformat(row["Datum status"]) if row["Datum status"] else None,
                    "cbs_indicator": _int(row["Indicatie CBS"]),
                    "pko": row["PKO"].strip(),
                    "statistics_code": _int(row["Statistiek code"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("caseload", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
